/**
 * The catalogue snapshot a build writes: a starting process uses it only while it matches every
 * intent and library file and the engine build; otherwise it compiles the YAML and says why.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { severityOf } from "../../engine/core/events";
import { builtinKindSpecs } from "../../engine/kinds";
import { DEFAULT_INTENTS_DIR, loadCatalog } from "../../engine/language/spec/catalog";
import { mapFields } from "../../engine/language/spec/fields";
import { SNAPSHOT_FORMAT, type CatalogSnapshot } from "../../engine/language/spec/snapshot";
import { writeSnapshot } from "../../engine/language/spec/snapshot-write";
import { loadStartupCatalog } from "../../engine/language/spec/startup";
import { parseTemplate } from "../../engine/language/expression/parse";
import type { Catalog } from "../../engine/language/spec/types";

const ENGINE = "1.0.0+test-build";

let dir = "";
let snapshotPath = "";

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), "snapshot-"));
  dir = join(root, "intents");
  cpSync(DEFAULT_INTENTS_DIR, dir, { recursive: true });
  snapshotPath = join(root, "catalog-snapshot.json");
  const outcome = writeSnapshot(snapshotPath, builtinKindSpecs(), dir, ENGINE);
  expect(outcome).toHaveProperty("snapshot");
});

async function start(engine = ENGINE): Promise<{ catalog: Catalog; events: Array<[string, Record<string, unknown>]> }> {
  const events: Array<[string, Record<string, unknown>]> = [];
  const catalog = await loadStartupCatalog(builtinKindSpecs(), { dir, snapshotPath, engine, events: (event, fields) => events.push([event, fields]) });
  return { catalog, events };
}

/** Every compiled template in an intent (an object with its source text and a render function), in order. */
function templatesOf(value: unknown, found: Array<{ source: string; render(scope: object): unknown }> = [], seen = new Set<unknown>()): Array<{ source: string; render(scope: object): unknown }> {
  if (value === null || typeof value !== "object" || seen.has(value)) return found;
  seen.add(value);
  const candidate = value as { source?: unknown; render?: unknown };
  if (typeof candidate.source === "string" && typeof candidate.render === "function") found.push(candidate as { source: string; render(scope: object): unknown });
  for (const child of value instanceof Map || value instanceof Set ? [...value.values()] : Object.values(value)) templatesOf(child, found, seen);
  return found;
}

/** A compiled intent as data: templates by their text, kinds by id, sets as lists, closures left out. */
function shape(catalog: Catalog): string {
  return JSON.stringify(catalog.intents, (key, value: unknown) => {
    if (typeof value === "function") return undefined;
    if (value instanceof Set) return [...value];
    if (key === "kind" && value && typeof value === "object" && "id" in value) return (value as { id: string }).id;
    return value;
  });
}

describe("the catalogue snapshot", async () => {
  it("is used while it matches: the same intents, compiled alike, without reading YAML", async () => {
    const { catalog, events } = await start();
    expect(events.map(([event, fields]) => [event, fields.source])).toEqual([["catalog_loaded", "snapshot"]]);
    const fromYaml = loadCatalog(builtinKindSpecs(), dir);
    expect(catalog.supportedNames()).toEqual(fromYaml.supportedNames());
    expect(shape(catalog)).toEqual(shape(fromYaml));
    expect(catalog.find("reset password")?.name).toBe("Password Reset");
  });

  it("renders every template of every intent as the intents compiled from YAML do", async () => {
    const { catalog } = await start();
    const fromYaml = loadCatalog(builtinKindSpecs(), dir);
    const scopeFor = (intent: Catalog["intents"][number]) => ({
      fields: Object.fromEntries(intent.fields.map((field) => [field.variable, field.type === "array" ? ["a@contoso.com", "b"] : "adele.vance@contoso.com"])),
      steps: {}, settings: {}, constants: {}, error: { message: "it failed", code: "GRAPH_ERROR" }, item: { id: "1", displayName: "x" },
    });
    const rendered = (intent: Catalog["intents"][number]): unknown[] => templatesOf(intent).map((template) => {
      try {
        return template.render(scopeFor(intent));
      } catch (thrown) {
        return `threw ${(thrown as Error).message}`;
      }
    });
    let count = 0;
    for (const intent of fromYaml.intents) {
      const snapshotted = catalog.find(intent.name)!;
      expect(rendered(snapshotted), intent.name).toEqual(rendered(intent));
      count += templatesOf(intent).length;
    }
    expect(count).toBeGreaterThan(100);
  });

  it("keeps each template's parsed tree exactly as the parser makes it, for every template of the intents", () => {
    const snapshot = JSON.parse(readFileSync(snapshotPath, "utf8")) as CatalogSnapshot;
    expect(snapshot.templates.length).toBeGreaterThan(100);
    for (const [text, tree] of snapshot.templates) expect(tree, text).toEqual(parseTemplate(text));
    const texts = new Set(snapshot.templates.map(([text]) => text));
    const yamlTemplates = loadCatalog(builtinKindSpecs(), dir).intents.flatMap((intent) => templatesOf(intent)).filter((t) => t.source.includes("{{"));
    expect(yamlTemplates.filter((t) => !texts.has(t.source)).map((t) => t.source)).toEqual([]);
  });

  it("keeps what runs at request time working: templates render, an intent's own schema checks fields", async () => {
    const { catalog } = await start();
    const revoke = catalog.find("Revoke Sessions");
    expect(revoke?.plan.messages.succeeded?.render({ fields: { userEmail: "adele.vance@contoso.com" }, steps: {}, outputs: {} })).toContain("adele.vance@contoso.com");
    const withSchema = catalog.intents.find((intent) => intent.plan.validator);
    expect(withSchema, "a shipped intent has a validation schema").toBeDefined();
    const mapped = mapFields(withSchema!, {});
    expect(mapped.ok).toBe(false);
  });

  it("is refused when an intent changed, was added or was removed, naming the file", async () => {
    appendFileSync(join(dir, "revoke-sessions.yaml"), "\n# edited\n");
    let { catalog, events } = await start();
    expect(events[0]).toEqual(["catalog_snapshot_stale", expect.objectContaining({ reason: "revoke-sessions.yaml changed since" })]);
    expect(events[1]).toEqual(["catalog_loaded", expect.objectContaining({ source: "intents" })]);
    expect(catalog.find("Revoke Sessions")).toBeDefined();

    writeSnapshot(snapshotPath, builtinKindSpecs(), dir, ENGINE);
    writeFileSync(join(dir, "extra.yaml"), readFileSync(join(dir, "revoke-sessions.yaml"), "utf8").replace(/^name: .*$/m, "name: Revoke Sessions Again").replace(/^aliases:[\s\S]*?^(?=\w)/m, ""));
    ({ catalog, events } = await start());
    expect(events[0]?.[1].reason).toBe("extra.yaml was added since");
    expect(catalog.find("Revoke Sessions Again")).toBeDefined();

    rmSync(join(dir, "extra.yaml"));
    rmSync(join(dir, "delete-user.yaml"));
    ({ catalog, events } = await start());
    expect(events[0]?.[1].reason).toBe("delete-user.yaml was removed since");
    expect(catalog.find("Delete User")).toBeUndefined();
  });

  it("is refused when a library the intents use changed", async () => {
    appendFileSync(join(dir, "shared", "directory.yaml"), "\n# edited\n");
    expect((await start()).events[0]?.[1].reason).toBe("shared/directory.yaml changed since");
  });

  it("is refused when another build of the engine made it, or in another format", async () => {
    expect((await start("1.0.0+another-build")).events[0]?.[1].reason).toBe("it was made by another build of the engine");
    const snapshot = JSON.parse(readFileSync(snapshotPath, "utf8")) as CatalogSnapshot;
    writeFileSync(snapshotPath, JSON.stringify({ ...snapshot, format: SNAPSHOT_FORMAT + 1 }));
    expect((await start()).events[0]?.[1].reason).toMatch(/^it has format/);
  });

  it("falls back on a snapshot it cannot read, and reports the fallback as a warning", async () => {
    writeFileSync(snapshotPath, "{ not json");
    const { catalog, events } = await start();
    expect(events[0]?.[0]).toBe("catalog_snapshot_stale");
    expect(String(events[0]?.[1].reason)).toMatch(/^it could not be read/);
    expect(severityOf("catalog_snapshot_stale", events[0]![1])).toBe("warning");
    expect(catalog.intents.length).toBe(loadCatalog(builtinKindSpecs(), dir).intents.length);
  });

  it("is not looked for where there is none (the sources): the YAML is compiled without a warning", async () => {
    rmSync(snapshotPath);
    const { events } = await start();
    expect(events.map(([event, fields]) => [event, fields.source])).toEqual([["catalog_loaded", "intents"]]);
  });

  it("is not written for invalid intents, and an old one is removed", async () => {
    writeFileSync(join(dir, "broken.yaml"), "apiVersion: intents/v1\nkind: Intent\nname: Broken\n");
    const outcome = writeSnapshot(snapshotPath, builtinKindSpecs(), dir, ENGINE);
    expect("diagnostics" in outcome && outcome.diagnostics[0]?.code).toBe("SPEC_SCHEMA");
    expect(existsSync(snapshotPath)).toBe(false);
  });
});
