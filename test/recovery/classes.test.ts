/**
 * The classes of failure that used to leave a tenant wrong for good, each over real HTTP (local
 * server → real engine and shipped intents → sandbox tenant with its fault rules; run store on
 * Azurite): each ends in the right tenant state with at most one redelivery, no credential lost,
 * and a run record and mail that tell the truth.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { HELPDESK, RECOVERY_SECRET, startRecoveryStack, webhookFor, type RecoveryStack } from "../support/recovery-stack";

let azurite: RunningAzurite;
let stack: RecoveryStack;
let ticket = 91_000;

beforeAll(async () => {
  azurite = await startTestAzurite();
});
afterAll(async () => {
  await azurite?.close();
});
beforeEach(async () => {
  stack = await startRecoveryStack({ storage: azurite.connectionString });
});
afterEach(async () => {
  await stack?.close();
});

const NEW_USER = { "Display Name": "Mia Kowalski", Email: "mia.kowalski@contoso.com", "First Name": "Mia", "Last Name": "Kowalski", "License SKU": "SPB", "Group Memberships": "Marketing, IT Department" };
const MIA = "mia.kowalski@contoso.com";

const usersNamed = (upn: string) => stack.sandbox.tenant.users.filter((u) => u.userPrincipalName.toLowerCase() === upn);
const lastCredential = (upn: string, kind: "password" | "temporaryAccessPass") =>
  stack.credentials.filter((c) => c.userPrincipalName.toLowerCase() === upn && c.kind === kind).at(-1)?.value;
const logged = () => stack.logs.join("\n");
const failureMails = () => stack.mailTo("megan.bowen@contoso.com");
const requests = (method: string, pattern: RegExp) => stack.sandbox.requests().filter((r) => r.method === method && pattern.test(r.path));

function expectNoSecretIn(text: string, ...secrets: Array<string | undefined>): void {
  for (const secret of secrets) if (secret) expect(text).not.toContain(secret);
}

describe("1. a create is never redone, and its credential never lost", () => {
  it("a user whose create answer was lost (504 after Graph created it) is adopted in the same run; the password set is the one mailed", async () => {
    await stack.faults([{ kind: "timeout", method: "POST", path: "/v1.0/users", afterApply: true, times: 1 }]);
    const answer = await stack.post(webhookFor("New User Creation", NEW_USER, ++ticket));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual(
      ["lookup:ok", "groupLookup:ok", "password:ok", "create:changed", "deliver:changed", "license:changed", "addGroups:changed"],
    );
    const [mia] = usersNamed(MIA);
    expect(usersNamed(MIA)).toHaveLength(1);
    expect(mia?.assignedLicenses).toHaveLength(1);
    const password = lastCredential(MIA, "password");
    expect(stack.mailTo(HELPDESK).map((m) => m.content).join("\n")).toContain(password);
    expect(requests("POST", /^\/v1\.0\/users$/).map((r) => [r.status, r.appliedStatus])).toEqual([[504, 201]]);
    const record = await stack.getRun(answer.body.runId);
    expect(record.body.status).toBe("succeeded");
    expectNoSecretIn(JSON.stringify(record.body) + logged(), password);
  });

  it("a run that outlived its budget right after the create resumes with the user and the sealed password it made, never a new one", async () => {
    // The create waits out a 6 s Retry-After on the run's clock, so the 5 s budget has passed when it ends.
    await stack.faults([{ kind: "throttle", method: "POST", path: "/v1.0/users", retryAfter: 6, times: 1 }]);
    const answer = await stack.post(webhookFor("New User Creation", NEW_USER, ++ticket));
    expect(answer.status).toBe(202);
    const password = lastCredential(MIA, "password");
    expect(stack.mailTo(HELPDESK)).toHaveLength(0);
    expect(await stack.continueRuns()).toBe(1);
    const record = await stack.getRun(answer.body.runId);
    expect(record.body.status).toBe("succeeded");
    expect(record.body.steps.filter((s: { resumed?: boolean }) => s.resumed).map((s: { id: string }) => s.id)).toEqual(["lookup", "groupLookup", "password", "create"]);
    expect(requests("POST", /^\/v1\.0\/users$/).filter((r) => r.status === 201)).toHaveLength(1);
    expect(stack.credentials.filter((c) => c.kind === "password")).toHaveLength(1);
    expect(stack.mailTo(HELPDESK).map((m) => m.content).join("\n")).toContain(password);
    expectNoSecretIn(JSON.stringify(record.body) + logged(), password);
  });

  it("a Temporary Access Pass whose create answer was lost is replaced, never orphaned, and the live pass is the one mailed", async () => {
    await stack.faults([{ kind: "reset", method: "POST", path: "/v1.0/users/*/temporaryAccessPassMethods", afterApply: true, times: 1 }]);
    const answer = await stack.post(webhookFor("Temporary Access Pass", { "User Email": "johanna.lorenz@contoso.com" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    const johanna = usersNamed("johanna.lorenz@contoso.com")[0]!;
    expect(johanna.authenticationMethods.filter((m) => m.type === "temporaryAccessPass")).toHaveLength(1);
    expect(stack.credentials.filter((c) => c.kind === "temporaryAccessPass")).toHaveLength(2);
    expect(requests("DELETE", /temporaryAccessPassMethods\//)).toHaveLength(1);
    const live = lastCredential("johanna.lorenz@contoso.com", "temporaryAccessPass");
    const mailed = stack.mailTo(HELPDESK).map((m) => m.content).join("\n");
    expect(mailed).toContain(live);
    expect(mailed).not.toContain(stack.credentials.find((c) => c.kind === "temporaryAccessPass")?.value);
    expectNoSecretIn(JSON.stringify(answer.body) + logged(), ...stack.credentials.map((c) => c.value));
  });

  it("a redelivery of a run whose pass was made but lost meets 'already has a pass', finds it is the run's own, and replaces it", async () => {
    await stack.faults([
      { kind: "timeout", method: "POST", path: "/v1.0/users/*/temporaryAccessPassMethods", afterApply: true, times: 1 },
      // The look-up that would adopt it gets no answer either, so this first execution ends failed.
      { kind: "reset", method: "GET", path: "/v1.0/users/*/temporaryAccessPassMethods", times: 5 },
    ]);
    const body = webhookFor("Temporary Access Pass", { "User Email": "johanna.lorenz@contoso.com" }, ++ticket);
    const first = await stack.post(body);
    expect(first.body.status).toBe("failed");
    expect(failureMails()).toHaveLength(1);
    await stack.clearFaults();
    stack.clock.advance?.(1_000);
    const again = await stack.post(body);
    expect(again.body).toMatchObject({ runId: first.body.runId, status: "succeeded", attempts: 2 });
    expect(requests("POST", /temporaryAccessPassMethods$/).map((r) => r.appliedStatus ?? r.status)).toEqual([201, 400, 201]);
    const johanna = usersNamed("johanna.lorenz@contoso.com")[0]!;
    expect(johanna.authenticationMethods.filter((m) => m.type === "temporaryAccessPass")).toHaveLength(1);
    expect(stack.mailTo(HELPDESK).map((m) => m.content).join("\n")).toContain(lastCredential("johanna.lorenz@contoso.com", "temporaryAccessPass"));
  });
});

describe("1. User Onboarding: the account and the pass are made once, the pass mailed is the one that works", () => {
  const KIM = "kim.akers@contoso.com";
  const STARTER = { "First Name": "Kim", "Last Name": "Akers", Email: KIM, Department: "IT", "Manager Email": "conor.obrien@contoso.com", "Send Welcome Mail": "No" };

  it("answers lost after Graph made the account and after it made the pass: the account is adopted, the pass replaced", async () => {
    await stack.faults([
      { kind: "timeout", method: "POST", path: "/v1.0/users", afterApply: true, times: 1 },
      { kind: "reset", method: "POST", path: "/v1.0/users/*/authentication/temporaryAccessPassMethods", afterApply: true, times: 1 },
    ]);
    const answer = await stack.post(webhookFor("User Onboarding", STARTER, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.filter((s: { id: string }) => ["create", "tap", "deliver"].includes(s.id)).map((s: { id: string; status: string }) => `${s.id}:${s.status}`))
      .toEqual(["create:changed", "tap:changed", "deliver:changed"]);
    expect(usersNamed(KIM)).toHaveLength(1);
    expect(requests("POST", /^\/v1\.0\/users$/).map((r) => [r.status, r.appliedStatus])).toEqual([[504, 201]]);
    const kim = usersNamed(KIM)[0]!;
    expect(kim.authenticationMethods.filter((m) => m.type === "temporaryAccessPass")).toHaveLength(1);
    expect(stack.credentials.filter((c) => c.kind === "temporaryAccessPass")).toHaveLength(2);
    const live = lastCredential(KIM, "temporaryAccessPass");
    const mailed = stack.mailTo("conor.obrien@contoso.com").map((m) => m.content).join("\n");
    expect(mailed).toContain(live);
    expect(mailed).not.toContain(stack.credentials.find((c) => c.kind === "temporaryAccessPass")?.value);
    const record = await stack.getRun(answer.body.runId);
    expect(record.body.status).toBe("succeeded");
    expectNoSecretIn(JSON.stringify(record.body) + logged(), ...stack.credentials.map((c) => c.value));
  });
});

describe("2. a lost delivery mail never locks a user out", () => {
  it("a sendMail whose answer was lost after the password was set is sent again (a second copy is harmless)", async () => {
    await stack.faults([{ kind: "timeout", method: "POST", path: "/v1.0/users/*/sendMail", afterApply: true, times: 1 }]);
    const answer = await stack.post(webhookFor("Password Reset", { "User Email": "diego.siciliani@contoso.com" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    const password = lastCredential("diego.siciliani@contoso.com", "password");
    expect(stack.mailTo(HELPDESK).filter((m) => m.content.includes(password!))).toHaveLength(2);
    expect(failureMails()).toHaveLength(0);
  });

  it("a delivery that keeps failing leaves the run running, not partial; it is delivered from the queue and the record then says succeeded", async () => {
    await stack.faults([{ kind: "unavailable", method: "POST", path: "/v1.0/users/*/sendMail", times: 5 }]);
    const answer = await stack.post(webhookFor("Password Reset", { "User Email": "diego.siciliani@contoso.com" }, ++ticket));
    expect(answer.status).toBe(202);
    expect((await stack.getRun(answer.body.runId)).body.status).toBe("running");
    expect(failureMails()).toHaveLength(0);
    expect(await stack.continueRuns()).toBe(1);
    const record = await stack.getRun(answer.body.runId);
    expect(record.body.status).toBe("succeeded");
    expect(record.body.message).toContain("sent to the helpdesk");
    const password = lastCredential("diego.siciliani@contoso.com", "password");
    expect(stack.credentials.filter((c) => c.kind === "password")).toHaveLength(1);
    expect(stack.mailTo(HELPDESK).map((m) => m.content).join("\n")).toContain(password);
    expectNoSecretIn(JSON.stringify(record.body) + logged(), password);
  });

  it("a partial run is resumed by a redelivery: its failed step runs again, its done steps are not repeated", async () => {
    await stack.faults([{ kind: "error", method: "POST", path: "/v1.0/users/*/assignLicense" }]);
    const body = webhookFor("New User Creation", NEW_USER, ++ticket);
    const first = await stack.post(body);
    expect(first.body.status).toBe("partial");
    expect(first.body.steps.find((s: { id: string }) => s.id === "license").status).toBe("failed");
    expect(failureMails()).toHaveLength(1);
    await stack.clearFaults();
    stack.clock.advance?.(1_000);
    const again = await stack.post(body);
    expect(again.body).toMatchObject({ runId: first.body.runId, status: "succeeded", attempts: 2 });
    expect(again.body.steps.filter((s: { resumed?: boolean }) => !s.resumed).map((s: { id: string }) => s.id)).toEqual(["license"]);
    expect(requests("POST", /^\/v1\.0\/users$/)).toHaveLength(1);
    expect(stack.mailTo(HELPDESK)).toHaveLength(1);
    expect(usersNamed(MIA)[0]?.assignedLicenses).toHaveLength(1);
  });
});

describe("4. answers meaning 'already done' after an ambiguous write: the wanted state, recorded as the run's own change", () => {
  const undo = async (method: string, runId: string) => {
    const response = await fetch(`${stack.url}/api/runs/${runId}/undo`, {
      method, headers: { "x-intent-secret": RECOVERY_SECRET, "content-type": "application/json" },
      ...(method === "POST" ? { body: JSON.stringify({ meta_data: { contact_email: "megan.bowen@contoso.com", contact_name: "Megan Bowen" } }) } : {}),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("a licence removal resent after its answer was lost meets 'does not have a corresponding license': changed, said so, and its undo gives the licence back", async () => {
    const conor = () => usersNamed("conor.obrien@contoso.com")[0]!;
    const held = conor().assignedLicenses.map((l) => l.skuId);
    await stack.faults([{ kind: "timeout", method: "POST", path: "/v1.0/users/*/assignLicense", afterApply: true, times: 1 }]);
    const answer = await stack.post(webhookFor("License Assignment", { "User Email": "conor.obrien@contoso.com", "License SKU": "SPE_E3", Action: "Remove" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.find((s: { id: string }) => s.id === "remove")).toMatchObject({ status: "changed", answerLost: true });
    // Not "did not have": the run took it away (its first request did, the answer lost on the way).
    expect(answer.body.message).toContain("no longer has");
    expect(conor().assignedLicenses).toEqual([]);
    expect(requests("POST", /assignLicense$/).map((r) => [r.status, r.appliedStatus])).toEqual([[504, 200], [400, undefined]]);
    const record = await stack.getRun(answer.body.runId);
    expect(record.body.steps.find((s: { id: string }) => s.id === "remove")).toMatchObject({ status: "changed", answerLost: true });

    // Its undo counts the removal as the run's own and assigns the licence again.
    const plan = await undo("GET", answer.body.runId);
    expect(plan.body.plan).toMatchObject({ nothingToUndo: false, changedSince: [] });
    expect(plan.body.plan.lines.join("\n")).toContain("assignLicense");
    const undone = await undo("POST", answer.body.runId);
    expect(undone.body).toMatchObject({ status: "succeeded", undoOf: answer.body.runId });
    expect(conor().assignedLicenses.map((l) => l.skuId)).toEqual(held);
  });

  it("the default MFA method's DELETE resent after its answer was lost meets 404: changed, and the run succeeds", async () => {
    const defaultId = "3179e48a-750b-4051-897c-87b9720928f7";
    // Its first DELETE (refused while others exist) passes; the second, once it may go, loses its answer.
    await stack.faults([{ kind: "timeout", method: "DELETE", path: `/v1.0/users/*/authentication/*/${defaultId}`, afterApply: true, rate: 0.5 }]);
    const answer = await stack.post(webhookFor("MFA Reset", { "User Email": "adele.vance@contoso.com" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.find((s: { id: string }) => s.id === "deleteLast")).toMatchObject({ status: "changed", answerLost: true });
    expect(usersNamed("adele.vance@contoso.com")[0]?.authenticationMethods.map((m) => m.type)).toEqual(["password"]);
    expect(requests("DELETE", new RegExp(defaultId)).map((r) => [r.status, r.appliedStatus])).toEqual([[400, undefined], [504, 204], [404, undefined]]);
  });

  it("a member reference resent after its answer was lost meets 'already exist': the run's addition, and its undo takes it back", async () => {
    const megan = usersNamed("megan.bowen@contoso.com")[0]!;
    const groupOf = (name: string) => stack.sandbox.tenant.groups.find((g) => g.displayName === name)!;
    expect(groupOf("IT Department").members).not.toContain(megan.id);
    await stack.faults([{ kind: "reset", method: "POST", path: "/v1.0/groups/*/members/$ref", afterApply: true, times: 1 }]);
    const answer = await stack.post(webhookFor("Add User to Group", { "User Email": "megan.bowen@contoso.com", "Group Name": "IT Department" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    expect(answer.body.steps.find((s: { id: string }) => s.id === "add")).toMatchObject({ status: "changed", answerLost: true });
    expect(answer.body.message).toBe("megan.bowen@contoso.com is now a member of IT Department.");
    expect(requests("POST", /members\/\$ref$/).map((r) => [r.status, r.appliedStatus])).toEqual([[0, 204], [400, undefined]]);
    const undone = await undo("POST", answer.body.runId);
    expect(undone.body).toMatchObject({ status: "succeeded", undoOf: answer.body.runId });
    expect(groupOf("IT Department").members).not.toContain(megan.id);
  });

  it("an 'already so' answer with no lost answer before it stays ok: nothing needed changing", async () => {
    const answer = await stack.post(webhookFor("License Assignment", { "User Email": "ben.walters@contoso.com", "License SKU": "SPE_E3", Action: "Remove" }, ++ticket));
    expect(answer.body.status).toBe("succeeded");
    const remove = answer.body.steps.find((s: { id: string }) => s.id === "remove");
    expect(remove.status).toBe("ok");
    expect(remove.answerLost).toBeUndefined();
    expect(answer.body.message).toContain("did not have");
  });
});

describe("5. what the store cannot hold is refused, what it keeps is bounded", () => {
  it("a run whose record would pass a Table property's limit is recorded, summarised, and readable", async () => {
    const group = "G".repeat(16_000);
    const answer = await stack.post(webhookFor("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": group }, ++ticket));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("failed");
    expect(answer.body.error.code).toBe("GROUP_NOT_FOUND");
    const record = await stack.getRun(answer.body.runId);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ status: "failed", error: { code: "GROUP_NOT_FOUND" } });
    expect(record.body.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([["lookup", "failed"]]);
  });
});
