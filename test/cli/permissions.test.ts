import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as permissionsCommand from "../../engine/hosts/cli/commands/permissions";
import { captured } from "../support/capture-output";
import { computePermissions, grantedBy, type PermissionSet } from "../../engine/tooling/permissions/permissions";
import { formatPermissionsText } from "../../engine/tooling/permissions/permissions-text";
import type { DocumentedIntent } from "../../engine/tooling/docs/types";

function intent(name: string, graph: string[], entraRoles: string[] = [], exchangeRoles: string[] = []): DocumentedIntent {
  return { name, aliases: [], description: "", risk: "reversible", permissions: { graph, entraRoles, exchangeRoles }, fields: [], file: `intents/${name}.yaml` };
}

describe("grantedBy", () => {
  it("lets a ReadWrite permission grant its Read twin, and follows the table transitively", () => {
    expect([...grantedBy("User.ReadWrite.All")]).toEqual(["User.Read.All"]);
    expect(grantedBy("Directory.ReadWrite.All")).toEqual(
      new Set(["Directory.Read.All", "User.Read.All", "Group.Read.All", "GroupMember.Read.All"]),
    );
    expect(grantedBy("MailboxSettings.ReadWrite")).toEqual(new Set(["MailboxSettings.Read"]));
  });

  it("grants nothing beyond what it contains", () => {
    expect(grantedBy("Mail.Send").size).toBe(0);
    expect(grantedBy("GroupMember.ReadWrite.All").has("Group.ReadWrite.All")).toBe(false);
    expect(grantedBy("User.Read.All").has("User.ReadWrite.All")).toBe(false);
  });
});

describe("computePermissions", () => {
  const catalog = [
    intent("Password Reset", ["User.ReadWrite.All", "Mail.Send"], ["Helpdesk Administrator"]),
    intent("Add User to Group", ["User.Read.All", "GroupMember.ReadWrite.All"]),
    intent("Convert To Shared", ["User.Read.All"], [], ["Exchange Recipient Administrator"]),
  ];
  const set = computePermissions(catalog);

  it("keeps only permissions no other required permission grants, with who needs each", () => {
    expect(set.graph.map((r) => r.name)).toEqual(["GroupMember.ReadWrite.All", "Mail.Send", "User.ReadWrite.All"]);
    const userRw = set.graph.find((r) => r.name === "User.ReadWrite.All");
    expect(userRw?.intents).toEqual(["Password Reset"]);
    expect(userRw?.covers).toEqual([{ name: "User.Read.All", intents: ["Add User to Group", "Convert To Shared"] }]);
  });

  it("keeps a permission nothing else covers even when only one intent needs it", () => {
    const alone = computePermissions([intent("Lookup", ["User.Read.All"])]);
    expect(alone.graph).toEqual([{ name: "User.Read.All", intents: ["Lookup"], covers: [] }]);
  });

  it("lists roles per identity and per intent", () => {
    expect(set.entraRoles).toEqual([{ name: "Helpdesk Administrator", intents: ["Password Reset"], covers: [] }]);
    expect(set.exchangeRoles.map((r) => r.name)).toEqual(["Exchange Recipient Administrator"]);
    // Managing Exchange app-only takes Exchange.ManageAsApp beside the role, for whichever identity the route uses.
    expect(set.exchangeAppRoles).toEqual([{ name: "Exchange.ManageAsApp", intents: ["Convert To Shared"], covers: [] }]);
    expect(formatPermissionsText(set)).toMatch(/^Office 365 Exchange Online application permissions \(Function App managed identity on the admin API.*\n  Exchange\.ManageAsApp\s+Convert To Shared$/m);
    expect(set.byIntent.map((e) => e.intent)).toEqual(["Add User to Group", "Convert To Shared", "Password Reset"]);
    expect(set.byIntent[2]).toMatchObject({ graph: ["Mail.Send", "User.ReadWrite.All"], entraRoles: ["Helpdesk Administrator"] });
  });

  it("counts an intent once even when it repeats a permission", () => {
    const twice = computePermissions([intent("Twice", ["Mail.Send", "Mail.Send"])]);
    expect(twice.graph[0]?.intents).toEqual(["Twice"]);
  });
});

describe("formatPermissionsText", () => {
  it("names each permission with its intents, what it covers, and the grant command", () => {
    const text = formatPermissionsText(
      computePermissions([intent("Password Reset", ["User.ReadWrite.All"]), intent("Lookup", ["User.Read.All"])]),
    );
    expect(text).toMatch(/User\.ReadWrite\.All\s+Password Reset/);
    expect(text).toContain("covers User.Read.All (Lookup)");
    expect(text).toContain("Entra directory roles (Function App managed identity):\n  (none)");
    expect(text).toContain("Lookup [reversible]: graph User.Read.All; entra -; exchange -");
    expect(text).toContain("scripts/grant-graph-permissions.ts");
  });
});

describe("`intents permissions` on the shipped intents", () => {
  const root = join(__dirname, "..", "..");
  const declared = readdirSync(join(root, "intents"))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => parse(readFileSync(join(root, "intents", f), "utf8")) as { name: string; permissions?: Record<string, string[] | undefined> });

  // The real CLI, spawned once (it pays tsx's start-up), as CI runs it.
  let printedOnce: PermissionSet | undefined;
  function printedJson(): PermissionSet {
    printedOnce ??= JSON.parse(
      execFileSync(process.execPath, [join(root, "bin", "intents.cjs"), "permissions", "--json"], { encoding: "utf8" }),
    ) as PermissionSet;
    return printedOnce;
  }

  it("prints as JSON exactly what the intent files declare, none left out and none invented", () => {
    const printed = printedJson();
    expect(declared.length).toBeGreaterThan(0);
    for (const kind of ["graph", "entraRoles", "exchangeRoles"] as const) {
      const fromFiles = new Map<string, string[]>();
      for (const d of declared) for (const p of d.permissions?.[kind] ?? []) fromFiles.set(p, [...(fromFiles.get(p) ?? []), d.name]);
      const fromCli = new Map<string, string[]>();
      for (const r of printed[kind]) for (const entry of [r, ...r.covers]) fromCli.set(entry.name, entry.intents);
      expect([...fromCli.keys()].sort(), kind).toEqual([...fromFiles.keys()].sort());
      for (const [name, intents] of fromFiles) expect(fromCli.get(name), `${kind} ${name}`).toEqual(intents.sort());
    }
    expect(printed.byIntent.map((e) => e.intent)).toEqual(declared.map((d) => d.name).sort());
  });

  it("prints the same set as text, and answers a bad flag with usage and exit code 2", async () => {
    const printed = printedJson();
    const text = await captured(() => permissionsCommand.run([]));
    expect(text.code).toBe(0);
    for (const r of printed.graph) expect(text.out).toMatch(new RegExp(`^  ${r.name.replace(/\./g, "\\.")}\\s+${r.intents.join(", ")}$`, "m"));
    const bad = await captured(() => permissionsCommand.run(["--jsn"]));
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining("usage: intents permissions") });
  });
});
