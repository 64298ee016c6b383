/**
 * Microsoft's Graph v1.0 CSDL as vendored in vendor/graph-metadata (gzipped, MIT): the source the
 * Graph index is built from, kept in the repository so the index can be rebuilt and checked anywhere.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export const VENDORED_CSDL = join(__dirname, "..", "vendor", "graph-metadata", "graph-v1.0.csdl.gz");

/** The CSDL's text; a path ending .gz is gunzipped. */
export function readCsdl(path: string = VENDORED_CSDL): string {
  const bytes = readFileSync(path);
  return (path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}
