import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, NOT_FOUND, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });

const NEW_USER = {
  accountEnabled: true, displayName: "Nina New", mailNickname: "nina.new", userPrincipalName: "nina.new@contoso.com",
  usageLocation: "US", passwordProfile: { forceChangePasswordNextSignIn: true, password: "xWwvJ]6NMw+bWH-d" },
};

describe("sandbox users", () => {
  it("gets a user by id and by UPN with exactly the 11 default properties", async () => {
    const byId = await graph(sandbox, "GET", `/users/${DEMO.adele}`);
    const byUpn = await graph(sandbox, "GET", "/users/ADELE.VANCE@contoso.com");
    expect(byId.status).toBe(200);
    expect(byUpn.body).toEqual(byId.body);
    expect(Object.keys(byId.body).sort()).toEqual(
      ["@odata.context", "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"].sort(),
    );
    expect(byId.body["@odata.context"]).toBe(`${sandbox.graphBaseUrl}/$metadata#users/$entity`);
    expect(byId.body.accountEnabled).toBeUndefined();
  });

  it("returns $select properties only, and finds a guest whose #EXT# UPN is sent as %23", async () => {
    const guest = await graph(sandbox, "GET", `/users/${encodeURIComponent(DEMO.guestUpn)}?$select=userType,accountEnabled,usageLocation`);
    expect(guest.status).toBe(200);
    expect(guest.body).toEqual({
      "@odata.context": `${sandbox.graphBaseUrl}/$metadata#users(userType,accountEnabled,usageLocation)/$entity`,
      userType: "Guest", accountEnabled: true, usageLocation: null,
    });
  });

  it("answers 404 Request_ResourceNotFound with innerError and echoes client-request-id", async () => {
    const answer = await graph(sandbox, "GET", "/users/ghost@contoso.com", undefined, { "client-request-id": "abc-123" });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("Request_ResourceNotFound");
    expect(answer.body.error.message).toBe(NOT_FOUND("ghost@contoso.com"));
    expect(answer.body.error.innerError).toEqual({ date: "2026-01-02T03:04:05", "request-id": answer.headers.get("request-id"), "client-request-id": "abc-123" });
    expect(answer.headers.get("client-request-id")).toBe("abc-123");
  });

  it("refuses a call without a bearer token with 401 InvalidAuthenticationToken", async () => {
    const response = await fetch(`${sandbox.graphBaseUrl}/users/${DEMO.adele}`);
    const body = (await response.json()) as { error: { code: string } };
    expect(response.status).toBe(401);
    expect(body.error.code).toBe("InvalidAuthenticationToken");
  });

  it("creates a user (201, nulls for unset defaults) and refuses the same UPN with ObjectConflict", async () => {
    const created = await graph(sandbox, "POST", "/users", NEW_USER);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayName: "Nina New", userPrincipalName: "nina.new@contoso.com", mail: null, jobTitle: null });
    expect(sandbox.tenant.users.find((u) => u.id === created.body.id)?.usageLocation).toBe("US");
    expect(JSON.stringify(sandbox.tenant)).not.toContain("xWwvJ]6NMw+bWH-d");
    const again = await graph(sandbox, "POST", "/users", NEW_USER);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: "Request_BadRequest",
      message: "Another object with the same value for property userPrincipalName already exists.",
      details: [{ target: "userPrincipalName", code: "ObjectConflict" }],
    });
  });

  it("refuses unverified domains, weak passwords, bad mailNicknames and missing required properties", async () => {
    const unverified = await graph(sandbox, "POST", "/users", { ...NEW_USER, userPrincipalName: "x@contoso-eu.com" });
    expect(unverified.body.error.message).toBe("The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
    expect(unverified.body.error.details[0]).toMatchObject({ code: "InvalidValue", target: "userPrincipalName" });
    const weak = await graph(sandbox, "POST", "/users", { ...NEW_USER, userPrincipalName: "w@contoso.com", passwordProfile: { password: "alllowercase" } });
    expect(weak.body.error.message).toBe("The specified password does not comply with password complexity requirements. Please provide a different password.");
    const nickname = await graph(sandbox, "POST", "/users", { ...NEW_USER, userPrincipalName: "n@contoso.com", mailNickname: "has space" });
    expect(nickname.body.error.message).toBe("Invalid value specified for property 'mailNickname' of resource 'User'.");
    const { passwordProfile: _p, ...noPassword } = NEW_USER;
    const missing = await graph(sandbox, "POST", "/users", { ...noPassword, userPrincipalName: "m@contoso.com" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain("'passwordProfile'");
    expect(sandbox.tenant.users.some((u) => ["w@contoso.com", "n@contoso.com", "m@contoso.com", "x@contoso-eu.com"].includes(u.userPrincipalName))).toBe(false);
  });

  it("PATCHes passwordProfile, accountEnabled and usageLocation with 204, and refuses an invalid usageLocation without changing anything", async () => {
    const patched = await graph(sandbox, "PATCH", `/users/${DEMO.ben}`, { accountEnabled: false, usageLocation: "GB", passwordProfile: { forceChangePasswordNextSignIn: true, password: "N3w!Passw0rd-xyz" } });
    expect(patched.status).toBe(204);
    const ben = sandbox.tenant.users.find((u) => u.id === DEMO.ben);
    expect(ben).toMatchObject({ accountEnabled: false, usageLocation: "GB", passwordProfile: { forceChangePasswordNextSignIn: true, lastChangedDateTime: "2026-01-02T03:04:05.000Z" } });
    const bad = await graph(sandbox, "PATCH", `/users/${DEMO.ben}`, { accountEnabled: true, usageLocation: "Germany" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe("Invalid value specified for property 'usageLocation' of resource 'User'.");
    expect(ben?.accountEnabled).toBe(false);
  });

  it("refuses a misspelt property with Graph's wording, checked against the v1.0 metadata", async () => {
    const answer = await graph(sandbox, "PATCH", `/users/${DEMO.adele}`, { passwordProfle: { password: "N3w!Passw0rd-xyz" } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("Request_BadRequest");
    expect(answer.body.error.message).toBe(
      "Property 'passwordProfle' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
    const nested = await graph(sandbox, "PATCH", `/users/${DEMO.adele}`, { passwordProfile: { forceChangePaswordNextSignIn: true, password: "N3w!Passw0rd-xyz" } });
    expect(nested.body.error.message).toContain("Property 'forceChangePaswordNextSignIn' does not exist on type 'microsoft.graph.passwordProfile'");
    const segment = await graph(sandbox, "GET", `/users/${DEMO.adele}/memberOff`);
    expect(segment.status).toBe(400);
    expect(segment.body.error.message).toBe("Resource not found for the segment 'memberOff'. Did you mean 'memberOf'?");
    const select = await graph(sandbox, "GET", `/users/${DEMO.adele}?$select=displayNam`);
    expect(select.body.error.message).toBe("Could not find a property named 'displayNam' on type 'microsoft.graph.user'.");
  });

  it("deletes a user and removes them from groups and as a manager", async () => {
    const created = await graph(sandbox, "POST", "/users", { ...NEW_USER, userPrincipalName: "temp@contoso.com", mailNickname: "temp" });
    const id = created.body.id as string;
    await graph(sandbox, "POST", `/groups/${DEMO.obriens}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
    expect((await graph(sandbox, "DELETE", `/users/${id}`)).status).toBe(204);
    expect((await graph(sandbox, "GET", `/users/${id}`)).status).toBe(404);
    expect(sandbox.tenant.groups.find((g) => g.id === DEMO.obriens)?.members).not.toContain(id);
  });

  it("revokes sign-in sessions with 200 value true", async () => {
    const answer = await graph(sandbox, "POST", `/users/${DEMO.adele}/revokeSignInSessions`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ "@odata.context": `${sandbox.graphBaseUrl}/$metadata#Edm.Boolean`, value: true });
    expect(sandbox.tenant.users.find((u) => u.id === DEMO.adele)?.signInSessionsValidFromDateTime).toBe("2026-01-02T03:04:05.000Z");
  });

  it("sets, reads and removes a manager through $ref", async () => {
    const put = await graph(sandbox, "PUT", `/users/${DEMO.conor}/manager/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/users/${DEMO.isaiah}` });
    expect(put.status).toBe(204);
    const manager = await graph(sandbox, "GET", `/users/${DEMO.conor}/manager?$select=id,displayName`);
    expect(manager.body).toMatchObject({ id: DEMO.isaiah, displayName: "Isaiah Langer" });
    expect((await graph(sandbox, "DELETE", `/users/${DEMO.conor}/manager/$ref`)).status).toBe(204);
    const none = await graph(sandbox, "GET", `/users/${DEMO.conor}/manager`);
    expect(none.status).toBe(404);
    const unknown = await graph(sandbox, "PUT", `/users/${DEMO.conor}/manager/$ref`, { "@odata.id": "https://graph.microsoft.com/v1.0/users/nobody" });
    expect(unknown.body.error.message).toBe(NOT_FOUND("nobody"));
  });

  it("lists the verified and unverified domains", async () => {
    const answer = await graph(sandbox, "GET", "/domains");
    expect(answer.body.value.map((d: { id: string; isVerified: boolean }) => [d.id, d.isVerified])).toContainEqual(["contoso-eu.com", false]);
  });
  it("finds a user by any SMTP address: mail eq … or proxyAddresses/any(…), ignoring case", async () => {
    const adele = sandbox.tenant.users.find((u) => u.id === DEMO.adele)!;
    adele.proxyAddresses = ["SMTP:adele.vance@contoso.com", "smtp:a.vance@contoso.com"];
    const filter = (address: string) => `/users?$filter=${encodeURIComponent(`mail eq '${address}' or proxyAddresses/any(a:a eq 'smtp:${address}')`)}&$select=id,proxyAddresses&$count=true`;
    const byAlias = await graph(sandbox, "GET", filter("A.Vance@contoso.com"), undefined, { ConsistencyLevel: "eventual" });
    expect(byAlias.body.value).toEqual([{ id: DEMO.adele, proxyAddresses: ["SMTP:adele.vance@contoso.com", "smtp:a.vance@contoso.com"] }]);
    expect((await graph(sandbox, "GET", filter("adele.vance@contoso.com"))).body.value.map((u: { id: string }) => u.id)).toEqual([DEMO.adele]);
    expect((await graph(sandbox, "GET", filter("a.vance@contoso.co"))).body.value).toEqual([]);
    // Without a fixture list, the primary SMTP address is the only one.
    expect((await graph(sandbox, "GET", `/users/${DEMO.grace}?$select=proxyAddresses`)).body.proxyAddresses).toEqual(["SMTP:grace.taylor@contoso.com"]);
    expect((await graph(sandbox, "GET", `/users?$filter=${encodeURIComponent("mail eq 'x' and id eq 'y'")}`)).status).toBe(400);
  });
});
