/**
 * Requester policy over real HTTP: webhook → pipeline → the shipped intents → the sandbox tenant.
 * Each refusal is a 403 with a stable code and a sentence for the requester, a `denied` run record,
 * a `policy` event naming the rule, and not one write to the tenant (no failure mail either).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { casesFileFor, loadCaseFile } from "../../engine/tooling/cases";
import { DEMO_POLICY_PATH } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { IDS, startPolicyStack, type PolicyStack } from "./support/stack";

let azurite: RunningAzurite;
let stack: PolicyStack | undefined;
let ticket = 70_000;

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
afterAll(async () => {
  await azurite?.close();
});

const RESET = (user: string) => ({ "User Email": user, "Temporary Password": "Given-Pass-123!" });

function policyEvents(s: PolicyStack): Array<Record<string, unknown>> {
  return s.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.event === "policy");
}

async function expectRefused(s: PolicyStack, answer: { status: number; body: any }, code: string): Promise<void> {
  expect(answer.status).toBe(403);
  expect(answer.body).toMatchObject({ status: "denied", error: { code }, steps: [] });
  expect(answer.body.message).toMatch(/[.]$/);
  expect(answer.body.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/); // no object id reaches the chat
  expect(s.writes()).toEqual([]);
  const record = await s.getRun(answer.body.runId);
  expect(record.status).toBe(403);
  expect(record.body).toMatchObject({ status: "denied", error: { code }, policy: { code } });
  const event = policyEvents(s).find((e) => e.runId === answer.body.runId);
  expect(event).toMatchObject({ decision: answer.body.policy.decision, rule: answer.body.policy.rule.source, code });
}

describe("with no policy file: the built-in rules", () => {
  it("lets a user ask for themself, compared by object id whatever the address's case", async () => {
    stack = await startPolicyStack(azurite);
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "ADELE.Vance@Contoso.com", ++ticket);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    expect(policyEvents(stack)).toEqual([expect.objectContaining({ decision: "allow", rule: "built-in rules.reversible", reason: "self", requester: "member" })]);
    expect(stack.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["PATCH /v1.0/users/adele.vance%40contoso.com"]);
  });

  it("lets the target's manager ask, and refuses their manager's manager (an approval, with the approvers)", async () => {
    stack = await startPolicyStack(azurite);
    const byManager = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "grace.taylor@contoso.com", ++ticket);
    expect(byManager.body.status).toBe("succeeded");
    const before = stack.writes().length;
    const bySkipLevel = await stack.post("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": "IT Department" }, "isaiah.langer@contoso.com", ++ticket);
    expect(bySkipLevel.status).toBe(403);
    expect(bySkipLevel.body.error.code).toBe("APPROVAL_REQUIRED");
    expect(bySkipLevel.body.message).toBe("This request needs an approval, which cannot be asked for through the chat here; please ask your manager to request it.");
    expect(bySkipLevel.body.policy).toMatchObject({
      decision: "approve",
      requester: { kind: "member", id: IDS.isaiah },
      target: { value: "adele.vance@contoso.com", id: IDS.adele },
      approvers: [{ kind: "manager", id: IDS.grace, level: 1 }],
    });
    expect(stack.writes()).toHaveLength(before);
  });

  it("refuses a colleague: 403, a denied record, a policy event, zero writes and no failure mail", async () => {
    stack = await startPolicyStack(azurite);
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "ben.walters@contoso.com", ++ticket);
    await expectRefused(stack, answer, "APPROVAL_REQUIRED");
    expect(stack.sandbox.tenant.sentMail).toEqual([]);
  });

  it("refuses a guest (found by their mail address), an unknown requester, a look-alike address and a disabled user", async () => {
    stack = await startPolicyStack(azurite);
    const cases: Array<[string, string]> = [
      ["lee.gu@fabrikam.com", "guest"],
      ["lee.gu_fabrikam.com#EXT#@contoso.onmicrosoft.com", "guest"],
      ["nobody@contoso.com", "unknown"],
      ["adеle.vance@contoso.com", "unknown"], // a Cyrillic "е": another string, so not Adele
      ["", "unknown"],
      ["pradeep.gupta@contoso.com", "disabled"],
    ];
    for (const [requester, kind] of cases) {
      const target = kind === "disabled" ? "pradeep.gupta@contoso.com" : "adele.vance@contoso.com";
      const answer = await stack.post("Password Reset", RESET(target), requester, ++ticket);
      await expectRefused(stack, answer, "POLICY_DENIED");
      expect(answer.body.policy.requester.kind, requester).toBe(kind);
    }
    const guest = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "lee.gu@fabrikam.com", ++ticket);
    expect(guest.body.message).toBe("Guest accounts cannot make this request; please ask someone in the organisation to request it.");
  });

  it("takes the requester from meta_data only: a form field naming someone else changes nothing", async () => {
    stack = await startPolicyStack(azurite);
    const fields = { ...RESET("adele.vance@contoso.com"), "Requester Email": "adele.vance@contoso.com", contact_email: "grace.taylor@contoso.com" };
    const answer = await stack.post("Password Reset", fields, "ben.walters@contoso.com", ++ticket);
    await expectRefused(stack, answer, "APPROVAL_REQUIRED");
    expect(answer.body.policy.requester.userPrincipalName).toBe("ben.walters@contoso.com");
  });

  it("asks an approval for destructive intents unless the requester is in AUTHORISED_REQUESTERS_GROUP", async () => {
    stack = await startPolicyStack(azurite);
    const byManager = await stack.post("Delete User", { "User Email": "adele.vance@contoso.com" }, "grace.taylor@contoso.com", ++ticket);
    await expectRefused(stack, byManager, "APPROVAL_REQUIRED");
    await stack.close();
    stack = await startPolicyStack(azurite, { env: { AUTHORISED_REQUESTERS_GROUP: IDS.serviceDesk } });
    // Nestor is in the Service Desk through the nested Helpdesk Admins group.
    const byServiceDesk = await stack.post("Delete User", { "User Email": "adele.vance@contoso.com" }, "nestor.wilke@contoso.com", ++ticket);
    expect(byServiceDesk.body).toMatchObject({ status: "succeeded" });
    expect(policyEvents(stack)[0]).toMatchObject({ decision: "allow", reason: "group AUTHORISED_REQUESTERS_GROUP" });
  });

  it("answers a duplicate of a refusal with the same 403, and judges a later delivery again", async () => {
    stack = await startPolicyStack(azurite);
    const body = ["Password Reset", RESET("adele.vance@contoso.com"), "ben.walters@contoso.com", ++ticket] as const;
    const first = await stack.post(...body);
    expect(first.status).toBe(403);
    const again = await stack.post(...body);
    expect(again).toMatchObject({ status: 403, body: { duplicate: true, status: "denied", runId: first.body.runId } });
    // Ben becomes Adele's manager; the redelivery is judged again and now runs.
    stack.sandbox.tenant.users.find((u) => u.id === IDS.adele)!.managerId = "79872e11-b8f9-5815-b293-940378b17b00";
    await stack.host.deps.clock.sleep(1_000);
    const later = await stack.post(...body);
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ status: "succeeded", runId: first.body.runId, attempts: 2 });
  });
});

const POLICY = `apiVersion: intents/v1
kind: Policy
rules:
  reversible:
    requesters: [self, { manager: 2 }, { group: ${IDS.serviceDesk}, name: Service Desk }]
    otherwise: deny
intents:
  Reset Password:          # the deployment's own rule for one intent (an alias names it)
    requesters: [self, manager]
    otherwise: deny
protected:
  groups: [{ group: ${IDS.vipAccounts}, name: VIP Accounts }]
  accounts: [BEN.walters@contoso.com]
`;

describe("with a policy file", () => {
  it("lets a group's members ask, nested membership included, and a manager two levels up", async () => {
    stack = await startPolicyStack(azurite, { policy: POLICY });
    const byGroup = await stack.post("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": "IT Department" }, "megan.bowen@contoso.com", ++ticket);
    expect(byGroup.body.status).toBe("succeeded");
    const byNested = await stack.post("Remove User from Group", { "User Email": "adele.vance@contoso.com", "Group Name": "IT Department" }, "nestor.wilke@contoso.com", ++ticket);
    expect(byNested.body.status).toBe("succeeded");
    const bySkipLevel = await stack.post("Revoke Sessions", { "User Email": "adele.vance@contoso.com" }, "isaiah.langer@contoso.com", ++ticket);
    expect(bySkipLevel.body.status).toBe("succeeded");
    expect(policyEvents(stack).map((e) => e.reason)).toEqual(["group Service Desk", "group Service Desk", "manager (level 2)"]);
    expect(policyEvents(stack)[0]).toMatchObject({ rule: "policy.yaml rules.reversible" });
  });

  it("refuses a colleague with POLICY_DENIED when the rule says deny, telling them whom to ask", async () => {
    stack = await startPolicyStack(azurite, { policy: POLICY });
    const answer = await stack.post("Revoke Sessions", { "User Email": "adele.vance@contoso.com" }, "miriam.graham@contoso.com", ++ticket);
    await expectRefused(stack, answer, "POLICY_DENIED");
    expect(answer.body.message).toBe("You cannot ask for this for adele.vance@contoso.com; please ask your manager to request it.");
  });

  it("applies the file's per-intent rule over its tier rule, and an intent file's own rule over the tier rule", async () => {
    stack = await startPolicyStack(azurite, { policy: POLICY });
    const skipLevel = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "isaiah.langer@contoso.com", ++ticket);
    await expectRefused(stack, skipLevel, "POLICY_DENIED");
    expect(skipLevel.body.policy.rule.source).toBe('policy.yaml intents["Reset Password"]');
    // Update Manager's own rule: only managers above the user, else an approval; self-service is not enough.
    const self = await stack.post("Update Manager", { "User Email": "adele.vance@contoso.com", "Manager Email": "diego.siciliani@contoso.com" }, "adele.vance@contoso.com", ++ticket);
    await expectRefused(stack, self, "APPROVAL_REQUIRED");
    expect(self.body.policy.rule.source).toBe('intent "Update Manager" policy');
    const manager = await stack.post("Update Manager", { "User Email": "adele.vance@contoso.com", "Manager Email": "diego.siciliani@contoso.com" }, "grace.taylor@contoso.com", ++ticket);
    expect(manager.body.status).toBe("succeeded");
  });

  it("protects a protected group's members, a configured account and the engine's mailbox, whoever asks", async () => {
    stack = await startPolicyStack(azurite, { policy: POLICY });
    const vip = await stack.post("Password Reset", RESET("johanna.lorenz@contoso.com"), "isaiah.langer@contoso.com", ++ticket);
    await expectRefused(stack, vip, "TARGET_PROTECTED");
    expect(vip.body.error.message).toBe("johanna.lorenz@contoso.com is a member of the protected group VIP Accounts: no webhook may change a protected account.");
    expect(vip.body.message).toBe("johanna.lorenz@contoso.com is a protected account, so it cannot be changed through the helpdesk chat; please contact your IT team directly.");
    const named = await stack.post("Revoke Sessions", { "User Email": "ben.walters@contoso.com" }, "diego.siciliani@contoso.com", ++ticket);
    await expectRefused(stack, named, "TARGET_PROTECTED");
    expect(named.body.policy.rule.reason).toBe("the target is a protected account");
    const mailbox = await stack.post("Hide from Address Book", { "Mailbox Email": "reception@contoso.com" }, "megan.bowen@contoso.com", ++ticket);
    await expectRefused(stack, mailbox, "TARGET_PROTECTED");
    expect(mailbox.body.policy.rule.reason).toBe("the target is the engine's own mailbox");
  });
});

describe("directory-role holders and the break-glass account", () => {
  it("are refused for every write intent, even when their manager asks", async () => {
    // Give both a manager, who may ask for anything their reports need under the demo policy.
    const fixture = { users: { "it.admin@contoso.com": { managerId: IDS.isaiah }, "breakglass@contoso.onmicrosoft.com": { managerId: IDS.isaiah } } };
    stack = await startPolicyStack(azurite, { fixture, env: { POLICY_FILE: DEMO_POLICY_PATH } });
    let judged = 0;
    for (const intent of loadCatalog(builtinKindSpecs()).intents) {
      if (intent.target === undefined || intent.risk === "read") continue;
      // Fields that run: a case that succeeds, else (an intent no case can run to success, such
      // as an undo of an earlier run a case never has) the first case with valid fields.
      const cases = loadCaseFile(casesFileFor(intent)).cases;
      const happy = (cases.find((c) => c.expect.status === "succeeded") ?? cases.find((c) => c.expect.status !== undefined))!;
      const label = intent.fields.find((f) => f.variable === intent.target)!.label;
      const byId = /id$/i.test(intent.target);
      for (const [upn, id] of [["it.admin@contoso.com", IDS.admin], ["breakglass@contoso.onmicrosoft.com", IDS.breakglass]] as const) {
        const answer = await stack.post(intent.name, { ...happy.fields, [label]: byId ? id : upn }, "isaiah.langer@contoso.com", ++ticket);
        expect(answer.status, `${intent.name} on ${upn}`).toBe(403);
        expect(answer.body.error.code, `${intent.name} on ${upn}`).toBe("TARGET_PROTECTED");
        expect(answer.body.policy.rule.reason).toBe("the target holds the directory role Global Administrator");
        judged++;
      }
    }
    expect(judged).toBeGreaterThanOrEqual(34);
    // A role held through a role-assignable group counts too: Nestor's manager is the admin.
    const nestor = await stack.post("Password Reset", RESET("nestor.wilke@contoso.com"), "it.admin@contoso.com", ++ticket);
    expect(nestor.body.policy.rule.reason).toBe("the target holds the directory role Helpdesk Administrator");
    expect(stack.writes()).toEqual([]);
    expect(stack.sandbox.requests().filter((r) => r.path.includes("/automation") || r.path.includes("/jobs/"))).toEqual([]);
  });
});

describe("an account named by another of its addresses", () => {
  // The Global Administrator has a mailbox that also receives at ceo@contoso.com: Graph does not find
  // that address as a key, Exchange does. A Service Desk member may otherwise ask for anyone.
  const MAILBOX = { type: "UserMailbox", hiddenFromAddressListsEnabled: false, forwardingSmtpAddress: null, deliverToMailboxAndForward: false, fullAccess: [], sendAs: [], sendOnBehalf: [], automaticReplies: { status: "disabled", externalAudience: "all", internalReplyMessage: "", externalReplyMessage: "" } };
  const fixture = {
    users: {
      "it.admin@contoso.com": { mailbox: MAILBOX, proxyAddresses: ["SMTP:it.admin@contoso.com", "smtp:ceo@contoso.com"] },
      "grace.taylor@contoso.com": { proxyAddresses: ["SMTP:grace.taylor@contoso.com", "smtp:g.taylor@contoso.com"] },
    },
  };

  it("is judged as that account: an admin's alias is protected on the Exchange route and the runbook route, with not one write", async () => {
    for (const mode of ["api", "runbook"]) {
      await stack?.close();
      stack = await startPolicyStack(azurite, { fixture, env: { POLICY_FILE: DEMO_POLICY_PATH, EXCHANGE_MODE: mode } });
      for (const alias of ["ceo@contoso.com", " CEO@Contoso.com"]) {
        const answer = await stack.post("Set Mail Forwarding", { "Mailbox Email": alias, "Forward To": "collector@fabrikam.com" }, "megan.bowen@contoso.com", ++ticket);
        await expectRefused(stack, answer, "TARGET_PROTECTED");
        expect(answer.body.policy).toMatchObject({ target: { value: alias.trim(), id: IDS.admin, userPrincipalName: "it.admin@contoso.com" }, rule: { reason: "the target holds the directory role Global Administrator" } });
      }
      expect(stack.sandbox.tenant.users.find((u) => u.id === IDS.admin)?.mailbox?.forwardingSmtpAddress).toBeNull();
      expect(stack.sandbox.requests().filter((r) => r.path.includes("/adminapi/") || r.path.includes("/jobs/"))).toEqual([]);
    }
  });

  it("finds the person behind an alias for self and manager too: the manager asking from their alias is the manager", async () => {
    stack = await startPolicyStack(azurite, { fixture });
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "g.taylor@contoso.com", ++ticket);
    expect(answer.body.status).toBe("succeeded");
    expect(policyEvents(stack)).toEqual([expect.objectContaining({ decision: "allow", reason: "manager", requester: "member" })]);
  });
});

describe("what a webhook cannot change", () => {
  it("turns protection off with nothing it sends: keys in the body, its meta_data and fields, a query string, headers", async () => {
    stack = await startPolicyStack(azurite, { env: { POLICY_FILE: DEMO_POLICY_PATH } });
    const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
    const body = {
      intent_name: "Password Reset",
      intent_fields: { ...RESET("it.admin@contoso.com"), policy: "off", protected: false, admit: ["unknown"], exemptRoles: [GLOBAL_ADMIN] },
      meta_data: { ticket_id: ++ticket, contact_name: "Megan Bowen", contact_email: "megan.bowen@contoso.com", company_name: "Contoso", policy: { protected: false }, cleared: true },
      policy: { protected: { accounts: [], groups: [] }, exemptRoles: [GLOBAL_ADMIN], rules: { reversible: { requesters: ["anyone"], otherwise: "deny" } } },
      protected: false,
      cleared: true,
      judge: false,
      settings: { POLICY_FILE: "/dev/null", AUTHORISED_REQUESTERS_GROUP: IDS.serviceDesk },
    };
    const answer = await stack.postRaw(body, "?policy=off&cleared=true&judge=false", { "x-policy": "off", "x-intent-cleared": "true" });
    await expectRefused(stack, answer, "TARGET_PROTECTED");
    expect(answer.body.policy.rule).toEqual({ source: "protected accounts", reason: "the target holds the directory role Global Administrator" });
  });

  it("knows the requester whatever the letter case and the spaces around their address", async () => {
    stack = await startPolicyStack(azurite);
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "  GRACE.Taylor@CONTOSO.com ", ++ticket);
    expect(answer.body.status).toBe("succeeded");
    expect(policyEvents(stack)).toEqual([expect.objectContaining({ decision: "allow", reason: "manager", requester: "member" })]);
  });
});

describe("directory roles a user's memberships do not show", () => {
  const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
  const EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
  const SALES_TEAM = "1c8a6ad8-bb58-5de3-a727-1a42a6d575a3";
  const HELPDESK_ROLE = "bf1a1ccb-f157-5ec2-8980-0fa7e0500892";

  it("protect a PIM-eligible administrator (directly or through a group) and an administrative unit's administrator, whoever asks", async () => {
    stack = await startPolicyStack(azurite, { env: { POLICY_FILE: DEMO_POLICY_PATH } });
    const tenant = stack.sandbox.tenant;
    tenant.roleEligibilities = [{ principalId: IDS.adele, roleTemplateId: GLOBAL_ADMIN }, { principalId: SALES_TEAM, roleTemplateId: EXCHANGE_ADMIN }];
    tenant.scopedRoleMemberships = [{ userId: "059f6b55-0136-5525-b7ff-83ed19190155", roleId: HELPDESK_ROLE, administrativeUnitId: "4b2d8a43-4a8e-4c5e-9d0b-6f3c1e2a7b90" }];
    // Adele's own manager asks for her Temporary Access Pass: enough to sign in and activate the role.
    const eligible = await stack.post("Temporary Access Pass", { "User Email": "adele.vance@contoso.com" }, "grace.taylor@contoso.com", ++ticket);
    await expectRefused(stack, eligible, "TARGET_PROTECTED");
    expect(eligible.body.policy.rule.reason).toBe("the target is eligible for the directory role Global Administrator");
    const throughGroup = await stack.post("Password Reset", RESET("ben.walters@contoso.com"), "megan.bowen@contoso.com", ++ticket);
    await expectRefused(stack, throughGroup, "TARGET_PROTECTED");
    expect(throughGroup.body.policy.rule.reason).toBe("the target is eligible for the directory role Exchange Administrator");
    const scoped = await stack.post("Password Reset", RESET("johanna.lorenz@contoso.com"), "megan.bowen@contoso.com", ++ticket);
    await expectRefused(stack, scoped, "TARGET_PROTECTED");
    expect(scoped.body.policy.rule.reason).toBe("the target holds a directory role in an administrative unit");
    expect(stack.writes()).toEqual([]);
  });

  it("are none in a tenant without PIM's licence, and cannot be read without RoleManagement.Read.Directory: then nothing runs", async () => {
    stack = await startPolicyStack(azurite);
    stack.sandbox.tenant.pimLicensed = false;
    const unlicensed = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "grace.taylor@contoso.com", ++ticket);
    expect(unlicensed.body.status).toBe("succeeded");
    await stack.close();
    stack = await startPolicyStack(azurite);
    // Granted what the intent declares, not what requester policy needs besides.
    stack.sandbox.tenant.permissions = ["User.ReadWrite.All", "Mail.Send"];
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "grace.taylor@contoso.com", ++ticket);
    expect(answer.body).toMatchObject({ status: "failed", steps: [], error: { code: "POLICY_LOOKUP_FAILED", fix: expect.stringContaining("Grant the app RoleManagement.Read.Directory") } });
    expect(stack.writes().map((w) => w.path)).toEqual(["/v1.0/users/reception%40contoso.com/sendMail"]);
  });
});

describe("when the tenant cannot be read", () => {
  it("fails the run with POLICY_LOOKUP_FAILED and writes nothing but the failure mail", async () => {
    stack = await startPolicyStack(azurite);
    await fetch(`${stack.sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "unavailable", method: "GET", path: "/v1.0/users/*/transitiveMemberOf" }) });
    const answer = await stack.post("Password Reset", RESET("adele.vance@contoso.com"), "adele.vance@contoso.com", ++ticket);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: "failed", error: { code: "POLICY_LOOKUP_FAILED" }, steps: [] });
    expect(stack.writes().map((w) => w.path)).toEqual(["/v1.0/users/reception%40contoso.com/sendMail"]);
  });
});
