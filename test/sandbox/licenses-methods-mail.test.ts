import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });

async function seats(skuId: string): Promise<{ consumed: number; enabled: number }> {
  const answer = await graph(sandbox, "GET", "/subscribedSkus");
  const sku = answer.body.value.find((s: { skuId: string }) => s.skuId === skuId);
  return { consumed: sku.consumedUnits, enabled: sku.prepaidUnits.enabled };
}

describe("sandbox licences", () => {
  it("counts seats from assignments and assigns a licence (200 user) taking one seat", async () => {
    const before = await seats(DEMO.e3);
    const answer = await graph(sandbox, "POST", `/users/${DEMO.diego}/assignLicense`, { addLicenses: [{ skuId: DEMO.e3, disabledPlans: [] }], removeLicenses: [] });
    expect(answer.status).toBe(200);
    expect(answer.body.assignedLicenses).toContainEqual({ skuId: DEMO.e3, disabledPlans: [] });
    expect(await seats(DEMO.e3)).toEqual({ consumed: before.consumed + 1, enabled: before.enabled });
    const details = await graph(sandbox, "GET", `/users/${DEMO.diego}/licenseDetails`);
    expect(details.body.value.map((d: { skuPartNumber: string }) => d.skuPartNumber).sort()).toEqual(["SPB", "SPE_E3"]);
  });

  it("refuses a user without usageLocation, a full SKU, a missing removeLicenses, a malformed skuId and removing what is not assigned", async () => {
    const noLocation = await graph(sandbox, "POST", `/users/${DEMO.ben}/assignLicense`, { addLicenses: [{ skuId: DEMO.e3 }], removeLicenses: [] });
    expect(noLocation.body.error.message).toBe("License assignment cannot be done for user with invalid usage location.");
    const full = await graph(sandbox, "POST", `/users/${DEMO.adele}/assignLicense`, { addLicenses: [{ skuId: DEMO.e5 }], removeLicenses: [] });
    expect(full.body.error.message).toBe(`Subscription with SKU ${DEMO.e5} does not have any available licenses.`);
    const missing = await graph(sandbox, "POST", `/users/${DEMO.adele}/assignLicense`, { addLicenses: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("removeLicenses");
    const malformed = await graph(sandbox, "POST", `/users/${DEMO.adele}/assignLicense`, { addLicenses: [{ skuId: "not-a-guid" }], removeLicenses: [] });
    expect(malformed.body.error.message).toBe("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details");
    const notAssigned = await graph(sandbox, "POST", `/users/${DEMO.adele}/assignLicense`, { addLicenses: [], removeLicenses: [DEMO.e5] });
    expect(notAssigned.status).toBe(400);
    const misspelt = await graph(sandbox, "POST", `/users/${DEMO.adele}/assignLicense`, { addLicenses: [], removeLicense: [] });
    expect(misspelt.body.error.message).toBe("The parameter 'removeLicense' in the request payload is not a valid parameter for the operation 'assignLicense'. Did you mean 'removeLicenses'?");
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.adele)?.assignedLicenses).toEqual([{ skuId: DEMO.e3, disabledPlans: [] }]);
  });

  it("frees the seat when a licence is removed", async () => {
    const before = await seats(DEMO.e5);
    const answer = await graph(sandbox, "POST", `/users/${DEMO.isaiah}/assignLicense`, { addLicenses: [], removeLicenses: [DEMO.e5] });
    expect(answer.status).toBe(200);
    expect((await seats(DEMO.e5)).consumed).toBe(before.consumed - 1);
  });
});

describe("sandbox authentication methods", () => {
  const methodsOf = async (id: string) => (await graph(sandbox, "GET", `/users/${id}/authentication/methods`)).body.value as { "@odata.type": string; id: string }[];

  it("lists methods with their @odata.type", async () => {
    const types = (await methodsOf(DEMO.adele)).map((m) => m["@odata.type"]);
    expect(types).toEqual(["#microsoft.graph.passwordAuthenticationMethod", "#microsoft.graph.phoneAuthenticationMethod", "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", "#microsoft.graph.emailAuthenticationMethod"]);
  });

  it("refuses the default method while others remain, then deletes it last", async () => {
    const methods = await methodsOf(DEMO.adele);
    const phone = methods.find((m) => m["@odata.type"].includes("phone"))!;
    const refused = await graph(sandbox, "DELETE", `/users/${DEMO.adele}/authentication/phoneMethods/${phone.id}`);
    expect(refused.status).toBe(400);
    const message = "Cannot delete default method with other methods configured. Please change default method before deletion.";
    expect(refused.body.error).toMatchObject({ code: "badRequest", message, innerError: { message } });
    const authenticator = methods.find((m) => m["@odata.type"].includes("microsoftAuthenticator"))!;
    expect((await graph(sandbox, "DELETE", `/users/${DEMO.adele}/authentication/microsoftAuthenticatorMethods/${authenticator.id}`)).status).toBe(204);
    expect((await graph(sandbox, "DELETE", `/users/${DEMO.adele}/authentication/emailMethods/3ddfcfc8-9383-446f-83cc-3ab9be4be18f`)).status).toBe(204);
    expect((await graph(sandbox, "DELETE", `/users/${DEMO.adele}/authentication/phoneMethods/${phone.id}`)).status).toBe(204);
    expect((await methodsOf(DEMO.adele)).map((m) => m["@odata.type"])).toEqual(["#microsoft.graph.passwordAuthenticationMethod"]);
  });

  it("never deletes the password method, and 404s a method id under the wrong type", async () => {
    const password = await graph(sandbox, "DELETE", `/users/${DEMO.conor}/authentication/passwordMethods/28c10230-6103-485e-b985-444c60001490`);
    expect(password.status).toBeGreaterThanOrEqual(400);
    const wrongType = await graph(sandbox, "DELETE", `/users/${DEMO.conor}/authentication/phoneMethods/28c10230-6103-485e-b985-444c60001490`);
    expect(wrongType.status).toBe(404);
    expect((await methodsOf(DEMO.conor)).some((m) => m.id === "28c10230-6103-485e-b985-444c60001490")).toBe(true);
  });

  it("creates a Temporary Access Pass once (201, pass in the answer, not in the tenant)", async () => {
    const created = await graph(sandbox, "POST", `/users/${DEMO.diego}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 60, isUsableOnce: true });
    expect(created.status).toBe(201);
    expect(typeof created.body.temporaryAccessPass).toBe("string");
    expect(JSON.stringify(sandbox.tenant)).not.toContain(created.body.temporaryAccessPass);
    const second = await graph(sandbox, "POST", `/users/${DEMO.diego}/authentication/temporaryAccessPassMethods`, {});
    expect(second.status).toBe(400);
    const requests = sandbox.requests().filter((r) => r.path.endsWith("temporaryAccessPassMethods"));
    expect(requests).toHaveLength(2);
  });
});

describe("sandbox mail", () => {
  it("patches automatic replies (200 with the settings) and refuses a user without a mailbox", async () => {
    const automaticRepliesSetting = { status: "alwaysEnabled", externalAudience: "all", internalReplyMessage: "<p>Gone</p>", externalReplyMessage: "<p>Gone</p>" };
    const answer = await graph(sandbox, "PATCH", `/users/${DEMO.grace}/mailboxSettings`, { automaticRepliesSetting });
    expect(answer.status).toBe(200);
    expect(answer.body.automaticRepliesSetting).toMatchObject(automaticRepliesSetting);
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.grace)?.mailbox?.automaticReplies.status).toBe("alwaysEnabled");
    const noMailbox = await graph(sandbox, "GET", `/users/${DEMO.admin}/mailboxSettings`);
    expect(noMailbox.status).toBe(404);
    expect(noMailbox.body.error.code).toBe("MailboxNotEnabledForRESTAPI");
    const badStatus = await graph(sandbox, "PATCH", `/users/${DEMO.grace}/mailboxSettings`, { automaticRepliesSetting: { status: "sometimes" } });
    expect(badStatus.status).toBe(400);
  });

  it("accepts sendMail with 202 and keeps the message in the tenant state", async () => {
    const message = { subject: "Account offboarded", body: { contentType: "Text", content: "Done." }, toRecipients: [{ emailAddress: { address: "grace.taylor@contoso.com" } }] };
    const answer = await graph(sandbox, "POST", `/users/${DEMO.adele}/sendMail`, { message, saveToSentItems: false });
    expect(answer.status).toBe(202);
    expect(answer.body).toBeUndefined();
    const state = await fetch(`${sandbox.url}/_sandbox/state`).then((r) => r.json() as Promise<{ sentMail: unknown[] }>);
    expect(state.sentMail).toEqual([{ id: expect.any(String), from: DEMO.adele, sentDateTime: "2026-01-02T03:04:05.000Z", message, saveToSentItems: false }]);
    const noRecipients = await graph(sandbox, "POST", `/users/${DEMO.adele}/sendMail`, { message: { subject: "x" } });
    expect(noRecipients.status).toBe(400);
    expect(noRecipients.body.error.code).toBe("ErrorInvalidRecipients");
  });
});
