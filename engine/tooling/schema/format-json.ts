/**
 * JSON written the way the repository's schemas are: two-space indentation, and an object or list
 * on one line (`{ "type": "string" }`) wherever that line fits in the width.
 */
const WIDTH = 120;

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}

function block(value: unknown, indent: string, prefix: string, suffix: string): string {
  const flat = `${indent}${prefix}${inline(value)}${suffix}`;
  if (flat.length <= WIDTH || value === null || typeof value !== "object") return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((item, i) => block(item, inner, "", i < value.length - 1 ? "," : ""));
    return `${indent}${prefix}[\n${items.join("\n")}\n${indent}]${suffix}`;
  }
  const entries = Object.entries(value);
  const lines = entries.map(([key, item], i) => block(item, inner, `${JSON.stringify(key)}: `, i < entries.length - 1 ? "," : ""));
  return `${indent}${prefix}{\n${lines.join("\n")}\n${indent}}${suffix}`;
}

export function formatJson(value: unknown): string {
  return `${block(value, "", "", "")}\n`;
}
