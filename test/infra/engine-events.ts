/**
 * The structured events the engine emits, found by scanning its sources: each event name with the
 * words of the field objects it is emitted with. KQL in the README and the Bicep alert rules may
 * only name events and fields found here.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

function engineSources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? engineSources(path) : entry.endsWith(".ts") ? [readFileSync(path, "utf8")] : [];
  });
}

/** Keys of an interface declared somewhere under engine/. */
function interfaceKeys(name: string): string[] {
  for (const source of engineSources(join(ROOT, "engine"))) {
    const body = new RegExp(`interface ${name} \\{([^}]*)\\}`).exec(source)?.[1];
    if (body !== undefined) return [...body.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1] as string);
  }
  return [];
}

/** Spread values events are emitted with, by the name of the variable spread, and the interface giving their keys. */
const SPREAD_TYPES: Record<string, string> = { report: "ReconcileReport" };

/**
 * Fields an event gets through a local helper rather than at the call: the Graph sender's
 * `report({...})` adds to `graph.request` what each outcome has.
 */
const HELPER_FIELDS: Record<string, { helper: RegExp; event: string }> = {
  graphRequest: { helper: /\breport\(\{([^;]*?)\}\)/g, event: "graph.request" },
};

const EMIT = String.raw`\b(?:events|eventsFor\(\w+\))\("([\w.]+)"`;

export function emittedEvents(dir = join(ROOT, "engine")): Map<string, Set<string>> {
  const events = new Map<string, Set<string>>();
  const wordsOf = (name: string): Set<string> => {
    if (!events.has(name)) events.set(name, new Set<string>());
    return events.get(name) as Set<string>;
  };
  for (const source of engineSources(dir)) {
    for (const m of source.matchAll(new RegExp(EMIT, "g"))) wordsOf(m[1] as string);
    for (const m of source.matchAll(new RegExp(`${EMIT},\\s*\\{([^;]*?)\\}\\)`, "g"))) {
      const words = wordsOf(m[1] as string);
      for (const w of (m[2] as string).matchAll(/[A-Za-z_]\w*/g)) words.add(w[0]);
      for (const spread of (m[2] as string).matchAll(/\.\.\.(\w+)/g)) {
        const type = SPREAD_TYPES[spread[1] as string];
        if (type) for (const key of interfaceKeys(type)) words.add(key);
      }
    }
    for (const { helper, event } of Object.values(HELPER_FIELDS)) {
      if (!source.includes(`"${event}"`)) continue;
      for (const m of source.matchAll(helper)) for (const w of (m[1] as string).matchAll(/([A-Za-z_]\w*)\s*:/g)) wordsOf(event).add(w[1] as string);
    }
  }
  return events;
}
