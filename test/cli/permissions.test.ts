import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as permissionsCommand from "../../engine/hosts/cli/commands/permissions";
import { captured } from "../support/capture-output";
import { computePermissions, grantedBy, type PermissionSet } from "../../engine/tooling/permissions/permissions";
import { formatPermissionsText } from "../../engine/tooling/permissions/permissions-text";
import type { DocumentedIntent } from "../../engine/tooling/docs/types";
import { APPROVER_MAIL, approvalNeeds, type FeatureNeed } from "../../engine/tooling/permissions/approval-permissions";
import { compileRule } from "../../engine/language/policy/compile";
import { defaultRules } from "../../engine/language/policy/defaults";
import type { RequesterSpec } from "../../engine/language/policy/types";
import { approverReads, type ApproverRef } from "../../engine/lifecycle/approval/approvers";
import { effectivePermissions, requiredPermissions } from "../../engine/contracts/graph-permissions";

function intent(name: string, graph: string[], entraRoles: string[] = [], exchangeRoles: string[] = []): DocumentedIntent {
  return { name, aliases: [], description: "", risk: "reversible", permissions: { graph, entraRoles, exchangeRoles }, fields: [], file: `intents/${name}.yaml` };
}

describe("grantedBy", () => {
  it("lets a ReadWrite permission grant its Read twin, a Read its ReadBasic where Microsoft has one, and follows the table transitively", () => {
    expect(grantedBy("User.ReadWrite.All")).toEqual(new Set(["User.Read.All", "User.ReadBasic.All"]));
    expect(grantedBy("Directory.ReadWrite.All")).toEqual(
      new Set(["Directory.Read.All", "User.Read.All", "User.ReadBasic.All", "Group.Read.All", "Group.ReadBasic.All", "GroupMember.Read.All", "GroupMember.ReadBasic.All"]),
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
  function printedJson(extra: string[] = []): PermissionSet {
    return JSON.parse(
      execFileSync(process.execPath, [join(root, "bin", "intents.cjs"), "permissions", "--json", ...extra], { encoding: "utf8" }),
    ) as PermissionSet;
  }

  it("prints as JSON exactly what the intent files declare, none left out and none invented (approvals left out), and what requester policy needs", () => {
    const printed = printedJson(["--no-approvals"]);
    // Requester policy's own read, needed by no intent: the only entry that names no intent.
    const policyOnly = printed.graph.filter((r) => r.intents.length === 0);
    expect(policyOnly).toEqual([{ name: "RoleManagement.Read.Directory", intents: [], features: ["requester policy: targets' eligible and administrative-unit directory roles"], covers: [] }]);
    printed.graph = printed.graph.filter((r) => r.intents.length > 0);
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
    const json = await captured(() => permissionsCommand.run(["--json"]));
    const printed = JSON.parse(json.out) as PermissionSet;
    const text = await captured(() => permissionsCommand.run([]));
    expect(text.code).toBe(0);
    const neededBy = (r: { intents: string[]; features?: string[] }) => [r.intents.join(", "), ...(r.features ?? [])].filter(Boolean).join("; ");
    for (const r of printed.graph) {
      expect(text.out).toMatch(new RegExp(`^  ${r.name.replace(/\./g, "\\.")}\\s+${neededBy(r).replace(/[.()]/g, "\\$&")}$`, "m"));
      for (const c of r.covers) expect(text.out).toContain(`    covers ${c.name} (${neededBy(c)})`);
    }
    const bad = await captured(() => permissionsCommand.run(["--jsn"]));
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining("usage: intents permissions") });
  });
});

describe("what approvals need", () => {
  const rule = (requesters: RequesterSpec[], otherwise: "approve" | "deny" = "approve") => compileRule({ requesters, otherwise }, "test");
  const GROUP = "1f0e5c1a-2b3c-4d5e-8f90-0a1b2c3d4e5f";
  const permissionsOf = (needs: readonly FeatureNeed[]) => [...new Set(needs.map((n) => n.permission))].sort();

  it("asks for the approver mail and the reads each kind of approver takes, only where a rule ends in approve with someone to ask", () => {
    expect(permissionsOf(approvalNeeds([rule(["self", "manager"])]))).toEqual(["Mail.Send", "User.Read.All"]);
    expect(permissionsOf(approvalNeeds([rule([{ group: GROUP }])]))).toEqual(["GroupMember.Read.All", "Mail.Send", "User.Read.All"]);
    expect(permissionsOf(approvalNeeds([rule([{ address: "helpdesk@msp.example" }])]))).toEqual(["Mail.Send", "User.Read.All"]);
    // Denied instead of approved, or nobody to ask (the built-in destructive rule without its group): no mail, no read.
    expect(approvalNeeds([rule(["self", "manager", { group: GROUP }], "deny")])).toEqual([]);
    expect(approvalNeeds([rule([]), rule(["self", "anyone"])])).toEqual([]);
    expect(approvalNeeds(Object.values(defaultRules(undefined)))).toEqual([
      APPROVER_MAIL, { permission: "User.Read.All", feature: "approvals: the target's managers" },
    ]);
  });

  it("covers every request the approval code sends, by Microsoft's permissions reference", () => {
    const refs: ApproverRef[] = [{ kind: "manager", id: "0b7f3c1e-5d2a-4f6b-9c8d-7e6f5a4b3c2d", level: 1 }, { kind: "group", id: GROUP }, { kind: "address", address: "helpdesk@contoso.com" }];
    const clauses: RequesterSpec[] = [{ manager: 1 }, { group: GROUP }, { address: "helpdesk@contoso.com" }];
    refs.forEach((ref, i) => {
      const granted = effectivePermissions(permissionsOf(approvalNeeds([rule([clauses[i]!])])));
      const id = ref.kind === "address" ? ref.address : ref.id;
      for (const request of approverReads(ref)) {
        const path = request.path.replace(encodeURIComponent(id), "{id}");
        const needed = requiredPermissions(request.method, path);
        expect(needed, `${request.method} ${path}`).toBeDefined();
        expect(needed!.grantedBy.some((p) => granted.has(p)), `${request.method} ${path}`).toBe(true);
        // The reads select accountEnabled and mail: beyond the basic profile User.ReadBasic.All gives.
        if (request.query?.$select?.includes("accountEnabled")) expect(granted.has("User.Read.All")).toBe(true);
      }
    });
    expect(requiredPermissions("POST", "/users/{id}/sendMail")?.grantedBy).toContain(APPROVER_MAIL.permission);
  });

  it("lists a feature's permission with the feature, kept when no intent declares it and covered when another grants it", () => {
    const set = computePermissions([intent("Add User to Group", ["User.Read.All", "GroupMember.ReadWrite.All"])], approvalNeeds([rule([{ group: GROUP }])]));
    expect(set.graph).toEqual([
      { name: "GroupMember.ReadWrite.All", intents: ["Add User to Group"], covers: [{ name: "GroupMember.Read.All", intents: [], features: ["approvals: members of approver groups"] }] },
      { name: "Mail.Send", intents: [], features: ["approvals: mail to each approver"], covers: [] },
      { name: "User.Read.All", intents: ["Add User to Group"], features: ["approvals: members of approver groups"], covers: [] },
    ]);
    expect(formatPermissionsText(set)).toMatch(/^ {2}Mail\.Send\s+approvals: mail to each approver$/m);
    expect(formatPermissionsText(set)).toContain("    covers GroupMember.Read.All (approvals: members of approver groups)");
  });

  it("`intents permissions` reads the deployment's policy: the demo policy's group approvers, none under a policy that never approves, none with --no-approvals", async () => {
    const root = join(__dirname, "..", "..");
    const printed = async (args: string[]) => {
      const answer = await captured(() => permissionsCommand.run(["--json", ...args]));
      expect(answer.code).toBe(0);
      return JSON.parse(answer.out) as PermissionSet;
    };
    // Requester policy's own need is there whatever the rules: these count approvals' needs.
    const featuresOf = (set: PermissionSet) => new Map(set.graph.flatMap((r) => [r, ...r.covers]).filter((r) => r.features && r.name !== "RoleManagement.Read.Directory").map((r) => [r.name, r.features]));
    const demo = featuresOf(await printed(["--policy", join(root, "sandbox", "fixtures", "demo-policy.yaml")]));
    expect([...demo.keys()].sort()).toEqual(["GroupMember.Read.All", "Mail.Send", "User.Read.All"]);
    expect(demo.get("GroupMember.Read.All")).toEqual(["approvals: members of approver groups"]);
    const dir = mkdtempSync(join(tmpdir(), "permissions-policy-"));
    const never = join(dir, "policy.yaml");
    writeFileSync(never, "apiVersion: intents/v1\nkind: Policy\nrules:\n  read: { requesters: [self, manager], otherwise: deny }\n  reversible: { requesters: [self, manager], otherwise: deny }\n  destructive: { requesters: [], otherwise: deny }\n");
    // Update Manager's own rule asks the managers above the user, policy file or not: their reads and the mail stay.
    expect([...featuresOf(await printed(["--policy", never])).keys()].sort()).toEqual(["Mail.Send", "User.Read.All"]);
    writeFileSync(never, `${readFileSync(never, "utf8")}intents:\n  Update Manager: { requesters: [{ manager: max }], otherwise: deny }\n`);
    expect(featuresOf(await printed(["--policy", never])).size).toBe(0);
    const off = await printed(["--no-approvals"]);
    expect(featuresOf(off).size).toBe(0);
    expect(off.graph.find((r) => r.name === "RoleManagement.Read.Directory")?.features).toEqual(["requester policy: targets' eligible and administrative-unit directory roles"]);
    // Approvals add features, never intents: the intents' own lists are the same either way.
    const intentsOf = (set: PermissionSet) => new Map(set.graph.flatMap((r) => [r, ...r.covers]).filter((r) => r.intents.length > 0).map((r) => [r.name, r.intents]));
    expect(intentsOf(await printed(["--policy", join(root, "sandbox", "fixtures", "demo-policy.yaml")]))).toEqual(intentsOf(off));
  });
});
