import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonEventSink } from "../../engine/pipeline/events";
import { outputs, params, readBicep } from "./bicep-reader";

const ROOT = join(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Deploy to Azure"), readme.indexOf("\n## ", readme.indexOf("## Deploy to Azure") + 1) >>> 0 || undefined);

function engineSources(dir = join(ROOT, "engine")): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? engineSources(path) : entry.endsWith(".ts") ? [readFileSync(path, "utf8")] : [];
  });
}

/** Event name → the words of the field objects it is emitted with, across the engine. */
function emittedEvents(): Map<string, Set<string>> {
  const events = new Map<string, Set<string>>();
  for (const source of engineSources()) {
    for (const m of source.matchAll(/\b(?:events|eventsFor\(\w+\))\("([\w.]+)",\s*\{([^;]*?)\}\)/g)) {
      const words = events.get(m[1] as string) ?? new Set<string>();
      for (const w of (m[2] as string).matchAll(/[A-Za-z_]\w*/g)) words.add(w[0]);
      events.set(m[1] as string, words);
    }
  }
  return events;
}

describe("README: Deploy to Azure", () => {
  const kql = [...section.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  const emitted = emittedEvents();

  it("queries only events the app emits, and only fields those events carry", () => {
    expect(kql.length).toBeGreaterThanOrEqual(4);
    expect(emitted.size).toBeGreaterThan(5);
    // `event` is the key the JSON event sink adds to every object.
    const allFields = new Set(["event", ...[...emitted.values()].flatMap((s) => [...s])]);
    for (const query of kql) {
      const named = [
        ...[...query.matchAll(/tostring\(e\.event\) == "([\w.]+)"/g)].map((m) => m[1] as string),
        ...[...query.matchAll(/tostring\(e\.event\) in \(([^)]*)\)/g)].flatMap((m) => [...(m[1] as string).matchAll(/"([\w.]+)"/g)].map((n) => n[1] as string)),
      ];
      // Every query reads the event objects; most also pick events by name.
      expect(query).toContain(`message startswith '{"event":'`);
      for (const event of named) expect(emitted.has(event), `event ${event}`).toBe(true);
      for (const field of query.matchAll(/\be\.(\w+)/g)) expect(allFields.has(field[1] as string), `field ${field[1]}`).toBe(true);
    }
  });

  it("filters on the prefix the app's event lines really have", () => {
    const lines: string[] = [];
    jsonEventSink((line) => lines.push(line), { invocationId: "i-1" })("result", { runId: "r-1" });
    expect(lines[0]?.startsWith('{"event":"result"')).toBe(true);
  });

  it("lists events that all exist", () => {
    const listed = /The app writes one JSON object[\s\S]*?:\n([\s\S]*?)\.\n/.exec(section)?.[1] ?? "";
    const names = [...listed.matchAll(/`([\w.]+)`/g)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(emitted.has(name), name).toBe(true);
  });

  it("names only real outputs, parameters and deploy.sh options", () => {
    const main = readBicep("main.bicep");
    const outputNames = outputs(main).map((o) => o.name);
    const outputsPara = /### Outputs\n\n([\s\S]*?)\n\n/.exec(section)?.[1] ?? "";
    for (const m of outputsPara.matchAll(/`(\w+)`/g)) expect(outputNames, m[1]).toContain(m[1]);
    const paramNames = params(main).map((p) => p.name);
    for (const row of section.matchAll(/^\| `(\w+)`(?: \/ `(\w+)`)?(?:, `(\w+)`)*/gm)) {
      for (const name of row.slice(1).filter(Boolean)) expect(paramNames, name).toContain(name);
    }
    const usage = readFileSync(join(ROOT, "scripts", "deploy.sh"), "utf8");
    for (const m of section.matchAll(/(--[a-z][a-z-]*)/g)) {
      if (["--tenant", "--location", "--vault-name", "--name", "--query", "--out", "--json"].includes(m[1] as string)) continue;
      expect(usage, m[1]).toContain(`  ${m[1]}`);
    }
  });
});
