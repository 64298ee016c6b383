/**
 * Makes the catalogue snapshot at build time: every intent under the folder checked as
 * `intents lint` checks it (Graph's metadata included), then written with the digests of the files
 * it was made from. Invalid intents get no snapshot: the problems are returned instead.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Diagnostic } from "../../core/step-kind";
import type { KindSpecs } from "../../core/step-kind-registry";
import { parsedTrees } from "../expression";
import { intentFiles } from "./files";
import { loadIntentFiles } from "./load";
import { relativeTo, sha256, SNAPSHOT_FORMAT, type CatalogSnapshot } from "./snapshot";

export type SnapshotOutcome = { snapshot: CatalogSnapshot } | { diagnostics: Diagnostic[] };

export function createSnapshot(kinds: KindSpecs, dir: string, engine: string): SnapshotOutcome {
  const root = resolve(dir);
  const loaded = loadIntentFiles(intentFiles([root]), { kinds });
  if (loaded.diagnostics.length > 0) return { diagnostics: loaded.diagnostics };
  const files: Record<string, string> = {};
  for (const path of loaded.read) files[relativeTo(root, path)] = sha256(readFileSync(path));
  const intents = loaded.resolved.map(({ path, spec, predicates }) => ({ file: relativeTo(root, path), spec, predicates: [...predicates] }));
  const texts = new Set<string>();
  for (const { spec } of intents) collectStrings(spec, texts);
  return { snapshot: { format: SNAPSHOT_FORMAT, engine, files, intents, templates: parsedTrees(texts) } };
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (value !== null && typeof value === "object") for (const child of Object.values(value)) collectStrings(child, into);
}

/** Writes the snapshot (or removes an old one when the intents are invalid, so it cannot be mistaken for current). */
export function writeSnapshot(path: string, kinds: KindSpecs, dir: string, engine: string): SnapshotOutcome {
  const outcome = createSnapshot(kinds, dir, engine);
  if (!("snapshot" in outcome)) {
    rmSync(path, { force: true });
    return outcome;
  }
  // Written whole or not at all: a starting process never reads half a file.
  writeFileSync(`${path}.tmp`, JSON.stringify(outcome.snapshot) + "\n");
  renameSync(`${path}.tmp`, path);
  return outcome;
}
