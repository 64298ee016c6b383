/**
 * The catalogue a starting process loads: the build's snapshot when it matches the intents and the
 * engine, else the intents compiled from YAML, with an event saying why the snapshot was not used.
 */
import type { EventSink } from "../../core/events";
import { lazyModule } from "../../core/lazy-module";
import type { KindSpecs } from "../../core/step-kind-registry";
import { DEFAULT_INTENTS_DIR } from "./files";
import { buildDirOf, catalogFromSnapshot, DEFAULT_SNAPSHOT_PATH, engineIdentity, readSnapshot, staleness } from "./snapshot";
import type { Catalog } from "./types";

export interface StartupCatalogOptions {
  dir?: string;
  /** Default: the build's dist/catalog-snapshot.json (none when running from the sources). */
  snapshotPath?: string;
  /** The running engine's build identity; default: the build stamp beside the snapshot. */
  engine?: string;
  events?: EventSink;
}

export async function loadStartupCatalog(kinds: KindSpecs, options: StartupCatalogOptions = {}): Promise<Catalog> {
  const dir = options.dir ?? DEFAULT_INTENTS_DIR;
  const path = options.snapshotPath ?? DEFAULT_SNAPSHOT_PATH;
  const events = options.events ?? (() => undefined);
  const started = performance.now();
  const loaded = (source: "snapshot" | "intents", catalog: Catalog): Catalog => {
    events("catalog_loaded", { source, intents: catalog.intents.length, ms: Math.round(performance.now() - started) });
    return catalog;
  };
  let reason: string | undefined;
  try {
    const snapshot = readSnapshot(path);
    if (snapshot) {
      reason = staleness(snapshot, dir, options.engine ?? engineIdentity(buildDirOf(path)));
      if (reason === undefined) return loaded("snapshot", catalogFromSnapshot(snapshot, kinds, dir));
    }
  } catch (thrown) {
    reason = `it could not be read (${thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown)})`;
  }
  if (reason !== undefined) events("catalog_snapshot_stale", { reason, fix: "Run `npm run build` to make the snapshot again." });
  // Only a process without a current snapshot pays for loading the YAML parser and the linter.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadCatalog } = await lazyModule(() => require("./catalog") as typeof import("./catalog"), () => import("./catalog.js"));
  return loaded("intents", loadCatalog(kinds, dir));
}
