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
  return typeof text === "string" ? text : value;
}
