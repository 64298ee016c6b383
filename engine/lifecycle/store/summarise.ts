/**
 * Keeps what a record stores of a result within a size, by replacing its largest values whole with
 * a note of what was left out. A value is never cut: a string cut short could end inside a secret
 * that masking would then no longer recognise, and a half JSON value misleads whoever reads it.
 * What identifies a step (id, kind, status, attempts, code) is never replaced.
 */

type Path = ReadonlyArray<string | number>;

const KEPT_KEYS = new Set(["id", "kind", "status", "attempts", "durationMs", "resumed", "code"]);

/**
 * JSON in ASCII only: every other character as a `\uXXXX` escape. Stored text then has one byte per
 * character on the wire, so no multi-byte character can straddle a chunk of a large request (which
 * Azurite decodes chunk by chunk), and no part boundary can fall inside a surrogate pair.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** How many characters were left out, in the shape of what was there, so readers keep their types. */
function note(value: unknown, size: number): unknown {
  const text = `[not kept in the run record: ${size} characters]`;
  if (Array.isArray(value)) return [text];
  if (value !== null && typeof value === "object") return { notKept: text };
  return text;
}

interface Candidate {
  path: Path;
  size: number;
}

/** The largest value that may be replaced (and is larger than its note), by its JSON length. */
function largest(value: unknown, path: Path, best: Candidate | undefined): { size: number; best: Candidate | undefined } {
  let size: number;
  if (Array.isArray(value)) {
    size = 2;
    for (let i = 0; i < value.length; i++) {
      const child = largest(value[i], [...path, i], best);
      best = child.best;
      size += child.size + 1;
    }
  } else if (value !== null && typeof value === "object") {
    size = 2;
    for (const [key, child] of Object.entries(value)) {
      const inner = largest(child, [...path, key], best);
      best = inner.best;
      size += inner.size + key.length + 4;
    }
  } else {
    size = JSON.stringify(value ?? null).length;
  }
  if (replaceable(value, path) && size > 64 && (!best || size > best.size)) best = { path, size };
  return { size, best };
}

/** The result, its step list, each step and each error object stay, and so do their identifying leaves. */
function kept(path: Path): boolean {
  const [first, index, third] = path;
  if (path.length === 0) return true;
  if (first === "error") return path.length === 1;
  if (first !== "steps") return false;
  return path.length === 1 || (path.length === 2 && typeof index === "number") || (path.length === 3 && third === "error");
}

function replaceable(value: unknown, path: Path): boolean {
  if (kept(path)) return false;
  const key = path[path.length - 1];
  const leaf = value === null || typeof value !== "object";
  return !(leaf && typeof key === "string" && KEPT_KEYS.has(key) && kept(path.slice(0, -1)));
}

function replaceAt(root: unknown, path: Path, replacement: unknown): void {
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = replacement;
}

/** `value` as ASCII JSON of at most `limit` characters where the kept parts allow; largest values summarised first. */
export function boundedJson(value: unknown, limit: number): string {
  let text = asciiJson(value);
  if (text.length <= limit) return text;
  const copy: unknown = JSON.parse(text);
  while (text.length > limit) {
    const { best } = largest(copy, [], undefined);
    if (!best) break;
    replaceAt(copy, best.path, note(best.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy), best.size));
    text = asciiJson(copy);
  }
  return text;
}
