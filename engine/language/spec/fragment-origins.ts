/** Where each node of an expanded intent was written: the intent, a use's input, or a library. */
import type { DocPath } from "./source";
import type { Written } from "./library-types";

/** Where an expanded node was written. */
export type Origin =
  /** In the intent, at another path (items moved by an expansion). */
  | { kind: "intent"; path: DocPath }
  /** A value the use site passed as an input, used as it is. */
  | { kind: "input"; path: DocPath }
  /** In a library; `exact` when the text is the library's own (offsets hold). */
  | { kind: "fragment"; name: string; written: Written; use: DocPath; exact: boolean };

const PATH_KEY = "\u0000";
export const pathKey = (path: DocPath): string => path.join(PATH_KEY);

/** Every origin lookup finds the deepest recorded prefix; the rest of the path is appended. */
export function resolveOrigin(origins: ReadonlyMap<string, Origin>, path: DocPath): { origin?: Origin; rest: DocPath } {
  for (let length = path.length; length >= 0; length--) {
    const origin = origins.get(pathKey(path.slice(0, length)));
    if (origin) return { origin, rest: path.slice(length) };
  }
  return { rest: path };
}
