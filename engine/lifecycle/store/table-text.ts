/**
 * Azure Tables keeps a string property to 64 KiB (32,768 UTF-16 code units), an entity to 1 MiB and
 * 252 properties. Long text is therefore split into parts of whole code units, as many to a row as
 * fit, and read back whole; nothing is cut or dropped.
 */

/** Characters per property: 64 KiB of UTF-16 with room to spare. */
export const PROPERTY_CHARS = 32_000;
/** Parts a row holds besides its own columns: 14 × 64 KiB stays under the 1 MiB entity limit. */
export const PARTS_PER_ROW = 14;

export function splitText(text: string, size = PROPERTY_CHARS): string[] {
  const parts: string[] = [];
  let start = 0;
  do {
    let end = Math.min(text.length, start + size);
    // Never split a surrogate pair: each half alone is not valid text for the service.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  } while (start < text.length);
  return parts;
}

/** Part properties `part0`…`partN` of a row, in order. */
export function partsOf(row: object, count: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(String((row as Record<string, unknown>)[`part${i}`] ?? ""));
  return parts;
}

export function asParts(parts: readonly string[]): Record<string, string> {
  return Object.fromEntries(parts.map((part, i) => [`part${i}`, part]));
}
