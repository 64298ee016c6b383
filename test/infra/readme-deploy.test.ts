import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MEMBER_SNAPSHOTS_TABLE } from "../../engine/inbound/notifications/members/snapshot-store";
import { NOTIFICATION_QUEUE } from "../../engine/inbound/notifications/queue";
import { SUBSCRIPTIONS_TABLE } from "../../engine/inbound/notifications/subscriptions/table-store";
import { jsonEventSink } from "../../engine/core/events";
import { outputs, params, readBicep } from "./bicep-reader";

const ROOT = join(__dirname, "..", "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Deploy to Azure"), readme.indexOf("\n## ", readme.indexOf("## Deploy to Azure") + 1) >>> 0 || undefined);

function engineSources(dir = join(ROOT, "engine")): string[] {
  if (statSync(dir).isFile()) return [readFileSync(dir, "utf8")];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? engineSources(path) : entry.endsWith(".ts") ? [readFileSync(path, "utf8")] : [];
  });
}

/** Keys of an interface declared in an engine module. */
function interfaceKeys(file: string, name: string): string[] {
  const source = readFileSync(join(ROOT, file), "utf8");
  const body = new RegExp(`interface ${name} \\{([^}]*)\\}`).exec(source)?.[1] ?? "";
  return [...body.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1] as string);
}

/** Spread values events are emitted with, by the name of the variable spread, and the type that gives their keys. */
const SPREAD_TYPES: Record<string, [string, string]> = {
  report: ["engine/inbound/notifications/subscriptions/manager.ts", "ReconcileReport"],
};

const EMIT = String.raw`\b(?:events|eventsFor\(\w+\))\("([\w.]+)"`;

/** Event name → the words of the field objects it is emitted with, across the engine (or one folder of it). */
function emittedEvents(dir?: string): Map<string, Set<string>> {
  const events = new Map<string, Set<string>>();
  for (const source of engineSources(dir)) {
    for (const m of source.matchAll(new RegExp(EMIT, "g"))) events.set(m[1] as string, events.get(m[1] as string) ?? new Set<string>());
    for (const m of source.matchAll(new RegExp(`${EMIT},\\s*\\{([^;]*?)\\}\\)`, "g"))) {
      const words = events.get(m[1] as string) as Set<string>;
      for (const w of (m[2] as string).matchAll(/[A-Za-z_]\w*/g)) words.add(w[0]);
      for (const spread of (m[2] as string).matchAll(/\.\.\.(\w+)/g)) {
        const type = SPREAD_TYPES[spread[1] as string];
        if (type) for (const key of interfaceKeys(...type)) words.add(key);
      }
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
    const permissionsUsage = readFileSync(join(ROOT, "engine", "hosts", "cli", "commands", "permissions.ts"), "utf8");
    for (const m of section.matchAll(/(--[a-z][a-z-]*)/g)) {
      // az's own options; --storage and --json belong to `intents subscriptions` (checked below).
      if (["--tenant", "--location", "--vault-name", "--name", "--query", "--out", "--json", "--account-name", "--table-name", "--auth-mode", "--storage"].includes(m[1] as string)) continue;
      // `intents permissions`' own options: its usage line must offer them.
      if (["--policy", "--no-approvals"].includes(m[1] as string)) {
        expect(permissionsUsage, m[1]).toContain(`[${m[1]}`);
        continue;
      }
      expect(usage, m[1]).toContain(`  ${m[1]}`);
    }
  });

  describe("change notifications in Azure", () => {
    const part = section.slice(section.indexOf("### Change notifications in Azure"));

    it("lists exactly the events change notifications emit (engine/inbound/notifications and their Functions handlers)", () => {
      const listed = /Notification events[^:]*:([\s\S]*?)\.\n/.exec(part)?.[1] ?? "";
      const names = [...listed.matchAll(/`([\w.]+)`/g)].map((m) => m[1] as string).sort();
      const emitted = new Set([
        ...emittedEvents(join(ROOT, "engine", "inbound", "notifications")).keys(),
        ...emittedEvents(join(ROOT, "engine", "hosts", "functions", "notification-handlers.ts")).keys(),
      ]);
      expect(names).toEqual([...emitted].sort());
    });

    it("reads the subscription table by its real name and columns, with options `intents subscriptions` has", () => {
      const query = /az storage entity query[^\n]*\\\n[^\n]*/.exec(part)?.[0] ?? "";
      expect(query).toContain(`--table-name ${SUBSCRIPTIONS_TABLE} `);
      const columns = interfaceKeys("engine/inbound/notifications/subscriptions/table-store.ts", "SubscriptionEntity");
      const projected = [...query.matchAll(/: (\w+)[,}]/g)].map((m) => m[1] as string);
      expect(projected.length).toBeGreaterThan(2);
      for (const column of projected) expect(columns, column).toContain(column);
      const help = readFileSync(join(ROOT, "engine", "hosts", "cli", "commands", "subscriptions.ts"), "utf8");
      for (const option of ["--storage CONNECTION", "--json"]) {
        expect(part).toContain(option);
        expect(help).toContain(`[${option}]`);
      }
    });

    it("names the queue and tables Bicep creates for notifications, and the parameters that open the allowlist", () => {
      for (const name of [NOTIFICATION_QUEUE, SUBSCRIPTIONS_TABLE, MEMBER_SNAPSHOTS_TABLE]) expect(part).toContain(`\`${name}\``);
      const declared = params(readBicep("main.bicep")).map((p) => p.name);
      for (const name of ["notificationSourceAddresses", "notificationSourceServiceTags"]) {
        expect(declared).toContain(name);
        expect(part).toContain(`\`${name}\``);
      }
      expect(part).toMatch(/reach `\/api\/intent`/);
    });
  });
});
