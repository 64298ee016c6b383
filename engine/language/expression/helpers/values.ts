/** The value readers every helper family shares: own properties only, lists or nothing. */

export function own(item: unknown, key: unknown): unknown {
  if (item === null || typeof item !== "object" || typeof key !== "string") return undefined;
  return Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Empty lists count as false, unlike JavaScript, so `when: "{{steps.x.output.items}}"` reads naturally. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** The item's property equals the value, or (a list property) holds it. */
export function matches(item: unknown, key: unknown, value: unknown): boolean {
  const field = own(item, key);
  return Array.isArray(field) ? field.includes(value) : field === value;
}
