/**
 * Graph names an object in a request body by its URL: `"@odata.id": "https://graph.microsoft.com/
 * v1.0/directoryObjects/{id}"` (add a member, set a manager) and `"members@odata.bind": [url, …]`
 * (bind on create or update). Those values are typed URL slots: written out from Graph's base, each
 * value one encoded path segment. Intents write them naturally; the keys say which leaves they are.
 */
import type { UrlSlot } from "../../core/step-kind";

export const GRAPH_URL_SLOT: UrlSlot = Object.freeze({ prefixes: Object.freeze(["https://graph.microsoft.com/v1.0/"]) });

function isReferenceKey(key: string | number | undefined): boolean {
  return typeof key === "string" && (key === "@odata.id" || key.endsWith("@odata.bind"));
}

/**
 * The URL slots of the Graph bodies at `body` (a path pattern in `with`, `*` = one key): the value
 * of every `@odata.id` and `…@odata.bind` key at any depth, each item when it is a list.
 */
export function graphBodyUrlSlots(body: string): (path: ReadonlyArray<string | number>) => UrlSlot | undefined {
  const parts = body.split(".");
  return (path) => {
    if (path.length <= parts.length || !parts.every((part, i) => part === "*" || part === String(path[i]))) return undefined;
    let last = path.length - 1;
    while (last > parts.length && typeof path[last] === "number") last--;
    return isReferenceKey(path[last]) ? GRAPH_URL_SLOT : undefined;
  };
}
