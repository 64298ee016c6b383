import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blankStringsAndComments, blockAt, modules, readBicep, variableBlock, verbatimStrings } from "./bicep-reader";
import { emittedEvents } from "./engine-events";

const ROOT = join(__dirname, "..", "..");
const alerts = readBicep("app/alerts.bicep");
const main = readBicep("main.bicep");

/** The top-level `{ … }` items of an array literal's text. */
function arrayItems(arrayText: string): string[] {
  const clean = blankStringsAndComments(arrayText);
  const items: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i];
    if (ch === "{" || ch === "[") {
      if (depth === 1 && ch === "{") start = i;
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 1 && ch === "}") items.push(arrayText.slice(start, i + 1));
    }
  }
  return items;
}

interface Rule { name: string; severity: number; threshold: string; query: string }

const rules: Rule[] = arrayItems(variableBlock(alerts, "rules")).map((item) => ({
  name: /name: '([^']+)'/.exec(item)?.[1] ?? "",
  severity: Number(/severity: (\d+)/.exec(item)?.[1]),
  threshold: /threshold: (\w+)/.exec(item)?.[1] ?? "",
  query: verbatimStrings(item)[0] ?? "",
}));
const rule = (name: string): Rule => {
  const found = rules.find((r) => r.name === name);
  if (!found) throw new Error(`no alert rule ${name}`);
  return found;
};

describe("alert rules (infra/app/alerts.bicep)", () => {
  it("has one rule per condition, each with a query", () => {
    expect(rules.map((r) => r.name).sort()).toEqual(["graph-auth", "poison-messages", "runs-failed", "subscriptions-failed"]);
    for (const r of rules) expect(r.query, r.name).toMatch(/^\s*App(Traces|Requests)\n/);
  });

  it("fires on failed and partial runs, above a threshold the deployment sets", () => {
    const { query, threshold } = rule("runs-failed");
    expect(query).toContain(`where Message startswith '{"event":"result"'`);
    expect(query).toContain(`where tostring(e.status) in ("failed", "partial")`);
    expect(threshold).toBe("failedRunThreshold");
    expect(main).toMatch(/^param failedRunAlertThreshold int = 0$/m);
  });

  it("fires on every poison message, at error severity", () => {
    const { query, threshold, severity } = rule("poison-messages");
    expect(query).toContain(`where Message startswith '{"event":"poison"'`);
    expect([threshold, severity]).toEqual(["0", 1]);
  });

  it("fires on Graph authentication failures: no token (GRAPH_AUTH) or a token Graph refused (401)", () => {
    const { query, threshold, severity } = rule("graph-auth");
    expect(query).toMatch(/tostring\(e\.code\) == "GRAPH_AUTH" or tostring\(e\.errorCode\) == "GRAPH_AUTH" or tostring\(e\.error\) == "GRAPH_AUTH"/);
    expect(query).toContain(`(tostring(e.event) == "graph.request" and toint(e.status) == 401)`);
    expect([threshold, severity]).toEqual(["0", 1]);
  });

  it("fires when subscription upkeep fails: a resource under failed, or the timer function failing", () => {
    const { query } = rule("subscriptions-failed");
    expect(query).toContain(`where Message startswith '{"event":"subscriptions_reconciled"'`);
    expect(query).toContain(`where tostring(e.event) == "subscriptions_failed" or array_length(e.failed) > 0`);
    const timer = /app\.timer\("(\w+)"/.exec(readFileSync(join(ROOT, "engine", "hosts", "functions", "subscriptions-timer.ts"), "utf8"))?.[1];
    expect(timer).toBeDefined();
    expect(query).toContain(`AppRequests | where Name == "${timer}" and Success == false`);
  });

  it("names only events the engine emits and fields those events carry", () => {
    const emitted = emittedEvents();
    const fields = new Set(["event", ...[...emitted.values()].flatMap((words) => [...words])]);
    for (const { name, query } of rules) {
      const named = [
        ...[...query.matchAll(/startswith '\{"event":"([\w.]+)"'/g)].map((m) => m[1] as string),
        ...[...query.matchAll(/tostring\(e\.event\) == "([\w.]+)"/g)].map((m) => m[1] as string),
      ];
      expect(named.length, name).toBeGreaterThan(0);
      for (const event of named) expect(emitted.has(event), `${name}: event ${event}`).toBe(true);
      for (const m of query.matchAll(/\be\.(\w+)/g)) expect(fields.has(m[1] as string), `${name}: field ${m[1]}`).toBe(true);
    }
  });

  it("reads the workspace with each rule's own identity, granted Log Analytics Reader there only", () => {
    const resource = blockAt(alerts, alerts.indexOf("resource alertRules"));
    expect(resource).toMatch(/for rule in rules:/);
    expect(resource).toMatch(/identity: \{ type: 'SystemAssigned' \}/);
    expect(resource).toMatch(/scopes: \[workspace\.id\]/);
    expect(resource).toMatch(/actions: \{ actionGroups: \[actionGroup\.id\] \}/);
    const readers = blockAt(alerts, alerts.indexOf("resource ruleReaders"));
    expect(readers).toMatch(/for \(rule, i\) in rules:[\s\S]*scope: workspace\n[\s\S]*principalId: alertRules\[i\]\.identity\.principalId/);
    expect(alerts).toMatch(/var logAnalyticsReader = '73c42c96-874c-492b-b04d-ab87d138a893'/);
  });
});

describe("action group", () => {
  it("mails every address given, and by default the deployment's notification recipients", () => {
    const group = blockAt(alerts, alerts.indexOf("resource actionGroup"));
    expect(group).toMatch(/for \(address, i\) in emailAddresses: \{[\s\S]*emailAddress: address/);
    expect(/groupShortName: '([^']*)'/.exec(group)?.[1]?.length).toBeLessThanOrEqual(12);
    const use = modules(main, "main.bicep").find((m) => m.file === "app/alerts.bicep");
    expect(use?.params).toEqual(expect.arrayContaining(["emailAddresses", "workspaceName"]));
    const wiring = blockAt(main, main.indexOf("module alerts"));
    expect(wiring).toContain("emailAddresses: empty(alertEmailAddresses) ? filter(map(split(notificationEmail, ','), address => trim(address)), address => !empty(address)) : alertEmailAddresses");
    expect(wiring).toContain("workspaceName: monitoring.outputs.workspaceName");
  });
});

describe("README: Alerts", () => {
  it("lists exactly the rules the Bicep creates", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const part = readme.slice(readme.indexOf("### Alerts"), readme.indexOf("\n### ", readme.indexOf("### Alerts") + 1));
    const listed = [...part.matchAll(/^\| `<appName>-([\w-]+)` \|/gm)].map((m) => m[1] as string);
    expect(listed.sort()).toEqual(rules.map((r) => r.name).sort());
  });
});
