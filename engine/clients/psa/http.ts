/** What the PSA connectors share: base URLs, and reading a PSA's JSON defensively. */
/** A base URL without its trailing slashes. */
export function trimBase(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/** A PSA's JSON, or undefined when the body is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True when `list` is an array holding an item whose `field` text contains the marker. */
export function containsMarker(list: unknown, field: string, marker: string): boolean {
  return Array.isArray(list) && list.some((item: unknown) => {
    const text = typeof item === "object" && item !== null ? (item as Record<string, unknown>)[field] : undefined;
    return typeof text === "string" && text.includes(marker);
  });
}
