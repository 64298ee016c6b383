/**
 * The catalogue snapshot: the intents as validated at build time (schema, fragments expanded,
 * analysed clean), written as JSON so a starting process compiles them without parsing YAML or
 * linting again. It is keyed by the content of every file the intents were made from and by the
 * engine build that checked them; a snapshot that matches neither is never used.
 *
 * This module is on the cold path: it must not import the YAML loader or the linter.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { KindSpecs } from "../../core/step-kind-registry";
import { internPredicates, primeParsedTrees, type Expr, type TemplateTree } from "../expression";
import { catalogOf } from "./catalog-index";
import { compileIntent } from "./compile";
import { intentFiles } from "./files";
import type { Catalog, IntentSpec } from "./types";

/** Bumped when the snapshot's shape or the meaning of a resolved intent changes. */
export const SNAPSHOT_FORMAT = 2;

/** `dist/catalog-snapshot.json` beside a build (from dist/engine/language/spec); absent beside the sources. */
export const DEFAULT_SNAPSHOT_PATH = join(__dirname, "..", "..", "..", "catalog-snapshot.json");

export interface SnapshotIntent {
  /** The intent file, relative to the intents folder. */
  file: string;
  spec: IntentSpec;
  /** The named predicates in the intent's reach, as parsed expressions. */
  predicates: Array<[string, Expr]>;
}

export interface CatalogSnapshot {
  format: number;
  /** The engine build that validated the intents (see engineIdentity). */
  engine: string;
  /** Every file the intents were made from, relative to the intents folder → SHA-256 of its content. */
  files: Record<string, string>;
  intents: SnapshotIntent[];
  /** Every template text of the intents with its parsed tree: a starting process parses none. */
  templates: Array<[string, TemplateTree]>;
}

/**
 * The build a snapshot belongs to: the package version and the source fingerprint of the build
 * stamp beside it (both written by the build). Undefined where there is no build (the sources).
 */
export function engineIdentity(buildDir: string): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(join(buildDir, "build-stamp.json"), "utf8")) as { sources?: unknown };
    if (typeof stamp.sources !== "string") return undefined;
    const packageJson = join(buildDir, "..", "package.json");
    const version = existsSync(packageJson) ? String((JSON.parse(readFileSync(packageJson, "utf8")) as { version?: unknown }).version) : "unversioned";
    return `${version}+${stamp.sources}`;
  } catch {
    return undefined;
  }
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Forward slashes whatever the platform, so a snapshot made on one system is read on another. */
export function relativeTo(dir: string, path: string): string {
  return relative(dir, path).split(sep).join("/");
}

/** Why the snapshot does not describe the intents under `dir` as they are now; undefined when it does. */
export function staleness(snapshot: CatalogSnapshot, dir: string, engine: string | undefined): string | undefined {
  if (snapshot.format !== SNAPSHOT_FORMAT) return `it has format ${String(snapshot.format)}, this engine reads ${SNAPSHOT_FORMAT}`;
  if (engine === undefined) return "this engine has no build stamp to match it against";
  if (snapshot.engine !== engine) return "it was made by another build of the engine";
  const root = resolve(dir);
  for (const file of intentFiles([root]).map((path) => relativeTo(root, path))) {
    if (!(file in snapshot.files)) return `${file} was added since`;
  }
  for (const [file, digest] of Object.entries(snapshot.files)) {
    const path = join(root, file);
    if (!existsSync(path)) return `${file} was removed since`;
    if (sha256(readFileSync(path)) !== digest) return `${file} changed since`;
  }
  return undefined;
}

/** Compiles the snapshot's intents (templates, schemas, rules): the step no snapshot can skip. */
export function catalogFromSnapshot(snapshot: CatalogSnapshot, kinds: KindSpecs, dir: string): Catalog {
  const root = resolve(dir);
  const shown = (file: string): string => relative(process.cwd(), join(root, file)) || file;
  primeParsedTrees(snapshot.templates);
  return catalogOf(snapshot.intents.map((entry) => compileIntent(entry.spec, shown(entry.file), kinds, internPredicates(entry.predicates))));
}

export function readSnapshot(path: string): CatalogSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as CatalogSnapshot;
}

/** The folder a snapshot's build stamp is in. */
export function buildDirOf(snapshotPath: string): string {
  return dirname(snapshotPath);
}
