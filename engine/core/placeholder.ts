/**
 * Stand-ins for values an offline plan cannot know (what a read would have answered). Any
 * property of a placeholder is another placeholder, and each renders as `<its.path>`.
 */
const PLACEHOLDER = Symbol("placeholder");

export function placeholder(name: string): unknown {
  const text = `<${name}>`;
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (key === PLACEHOLDER) return text;
      if (key === Symbol.toPrimitive || key === "toString" || key === "toJSON") return () => text;
      return typeof key === "string" ? placeholder(`${name}.${key}`) : undefined;
    },
    has: (_, key) => typeof key === "string",
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === "string" ? { configurable: true, enumerable: false, writable: false, value: placeholder(`${name}.${key}`) } : undefined,
  });
}

/** The placeholder's text, or the value unchanged when it is not one. */
export function unwrapPlaceholder(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const text = (value as Record<symbol, unknown>)[PLACEHOLDER];
  if (typeof text !== "string") return value;
  written.add(text);
  return text;
}

export function isPlaceholder(value: unknown): boolean {
  return value !== null && typeof value === "object" && typeof (value as Record<symbol, unknown>)[PLACEHOLDER] === "string";
}

/** The placeholder's name (`steps.lookup.output.groups`), for one derived from it. */
export function placeholderName(value: unknown): string | undefined {
  const text = isPlaceholder(value) ? ((value as Record<symbol, unknown>)[PLACEHOLDER] as string) : undefined;
  return text?.slice(1, -1);
}

// Texts placeholders were written as: a typed slot shows one as it is (`/users/<steps.x.output.id>`)
// instead of encoding it. Only offline plans make placeholders, so this stays small.
const written = new Set<string>();

/**
 * True for text that is a placeholder written out (`<steps.lookup.output.userId>`) and holds
 * nothing a URL would read as structure (a name may carry a looked-up key).
 */
export function isPlaceholderText(text: string): boolean {
  return written.has(text) && !/[/?#%\\\s]|\.\./.test(text);
}
