/**
 * A module of ours loaded on first use instead of at start (off the cold path). `requireIt` loads
 * it in the compiled build and under tsx's require hook; where require cannot read TypeScript (the
 * test runner's own module graph) it is not found, and `importIt` imports it instead.
 */
export async function lazyModule<T>(requireIt: () => T, importIt: () => Promise<T>): Promise<T> {
  try {
    return requireIt();
  } catch (thrown) {
    if ((thrown as { code?: unknown } | null)?.code !== "MODULE_NOT_FOUND") throw thrown;
    return importIt();
  }
}
