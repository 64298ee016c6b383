/** The decision as a pure function: the order of its checks and the edges the HTTP tests do not reach. */
import { describe, expect, it } from "vitest";
import { compileRule } from "../../engine/language/policy/compile";
import type { PolicyRuleSpec, ProtectedAccounts } from "../../engine/language/policy/types";
import { decide, type DecisionInput } from "../../engine/lifecycle/policy/decide";
import { membershipsFrom, type Person, type TargetFacts } from "../../engine/lifecycle/policy/facts";

const person = (id: string, extra: Partial<Person> = {}): Person => ({ id, userPrincipalName: `${id}@contoso.com`, addresses: [], enabled: true, guest: false, ...extra });
const NONE: ProtectedAccounts = { groups: [], accounts: [], exemptRoles: new Set() };
const GA = { "@odata.type": "#microsoft.graph.directoryRole", id: "r1", displayName: "Global Administrator", roleTemplateId: "62e90394-69f5-4237-9190-012177145e10" };
const READER = { "@odata.type": "#microsoft.graph.directoryRole", id: "r2", displayName: "Directory Readers", roleTemplateId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" };

function input(rule: PolicyRuleSpec, requester: Person | undefined, target: Partial<TargetFacts> | undefined, more: Partial<DecisionInput> = {}): DecisionInput {
  return {
    intent: { name: "Probe", risk: "reversible" },
    rule: compileRule(rule, "test rule"),
    protect: NONE,
    engineMailboxes: [],
    requester: { email: requester?.userPrincipalName ?? "x@contoso.com", ...(requester ? { person: requester } : {}), groups: new Set(["g1"]) },
    ...(target ? { target: { value: "t@contoso.com", managers: [], memberships: membershipsFrom([]), ...target } } : {}),
    ...more,
  };
}

describe("decide", () => {
  it("checks protection before any rule: not even the target themself may change a role holder", () => {
    const target = { person: person("t"), memberships: membershipsFrom([GA]) };
    const { decision } = decide(input({ requesters: ["self", "anyone"], otherwise: "deny" }, person("t"), target));
    expect(decision).toMatchObject({ decision: "deny", code: "TARGET_PROTECTED", rule: { source: "protected accounts" } });
  });

  it("lets a policy exempt a harmless role, never a read intent's target be protected", () => {
    const target = { person: person("t"), memberships: membershipsFrom([READER]) };
    const exempt = { ...NONE, exemptRoles: new Set([READER.roleTemplateId]) };
    expect(decide(input({ requesters: ["self"], otherwise: "deny" }, person("t"), target, { protect: exempt })).decision.decision).toBe("allow");
    const read = { intent: { name: "Who am I", risk: "read" as const } };
    expect(decide(input({ requesters: ["self"], otherwise: "deny" }, person("t"), { person: person("t"), memberships: membershipsFrom([GA]) }, read)).decision.decision).toBe("allow");
  });

  it("lets only group and address entries act on a target Graph did not find; anyone else hears it was not found", () => {
    const ghost = { managers: [] };
    expect(decide(input({ requesters: [{ group: "G1" }], otherwise: "deny" }, person("r"), ghost)).decision).toMatchObject({ decision: "allow", rule: { reason: "group g1" } });
    const anyone = decide(input({ requesters: ["anyone", "self"], otherwise: "approve" }, person("r"), ghost));
    expect(anyone.decision).toMatchObject({ decision: "deny", code: "POLICY_DENIED", rule: { reason: "the target is not in the tenant" } });
    expect(anyone.refusal?.userMessage).toBe("No account t@contoso.com was found; please check the address and ask again.");
  });

  it("admits a guest only where the rule says so, and an unknown requester only by address", () => {
    const guest = person("g", { guest: true });
    expect(decide(input({ requesters: ["anyone"], otherwise: "deny" }, guest, undefined)).decision.code).toBe("POLICY_DENIED");
    expect(decide(input({ requesters: ["anyone"], otherwise: "deny", admit: ["guest"] }, guest, undefined)).decision.decision).toBe("allow");
    const unknown = input({ requesters: [{ address: "Tech@MSP.example" }], otherwise: "deny", admit: ["unknown"] }, undefined, undefined);
    expect(decide({ ...unknown, requester: { email: " tech@msp.example ", groups: new Set() } }).decision).toMatchObject({ decision: "allow", requester: { kind: "unknown" } });
    expect(decide({ ...unknown, requester: { email: "tech@msp.example.evil", groups: new Set() } }).decision.decision).toBe("deny");
  });

  it("matches managers only within the levels the entry allows, and names them as approvers", () => {
    const target = { person: person("t"), managers: ["m1", "m2", "m3"] };
    expect(decide(input({ requesters: [{ manager: 2 }], otherwise: "deny" }, person("m2"), target)).decision.rule.reason).toBe("manager (level 2)");
    const far = decide(input({ requesters: [{ manager: 2 }, { group: "G9", name: "Leads" }], otherwise: "approve" }, person("m3"), target));
    expect(far.decision).toMatchObject({ decision: "approve", approvers: [{ kind: "manager", id: "m1", level: 1 }, { kind: "manager", id: "m2", level: 2 }, { kind: "group", id: "g9", name: "Leads" }] });
    expect(decide(input({ requesters: [{ manager: "max" }], otherwise: "deny" }, person("m3"), target)).decision.decision).toBe("allow");
  });
  it("knows a person by every address: a protected account named by an alias, an address entry met by the requester's alias", () => {
    const ben = person("b", { mail: "ben.walters@contoso.com", addresses: ["ben.walters@contoso.com", "benny@contoso.com"] });
    const protect = { ...NONE, accounts: ["benny@contoso.com"] };
    expect(decide(input({ requesters: ["anyone"], otherwise: "deny" }, person("r"), { person: ben }, { protect })).decision).toMatchObject({ code: "TARGET_PROTECTED", rule: { reason: "the target is a protected account" } });
    expect(decide(input({ requesters: [{ address: "Benny@Contoso.com" }], otherwise: "deny" }, ben, undefined)).decision).toMatchObject({ decision: "allow", rule: { reason: "address benny@contoso.com" } });
  });
  it("protects an eligible or administrative-unit role holder; a policy exempts an eligibility by template, never a scoped role", () => {
    const eligible = { person: person("t"), otherRoles: [{ kind: "eligible" as const, roleId: READER.roleTemplateId, name: "Directory Readers" }] };
    expect(decide(input({ requesters: ["self"], otherwise: "deny" }, person("t"), eligible)).decision.rule.reason).toBe("the target is eligible for the directory role Directory Readers");
    const exempt = { ...NONE, exemptRoles: new Set([READER.roleTemplateId]) };
    expect(decide(input({ requesters: ["self"], otherwise: "deny" }, person("t"), eligible, { protect: exempt })).decision.decision).toBe("allow");
    const scoped = { person: person("t"), otherRoles: [{ kind: "scoped" as const, roleId: READER.roleTemplateId }] };
    expect(decide(input({ requesters: ["self"], otherwise: "deny" }, person("t"), scoped, { protect: exempt })).decision.rule.reason).toBe("the target holds a directory role in an administrative unit");
  });
});
