/** Thread sends names and labels with any case and spacing; this is the one way we compare them. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}
