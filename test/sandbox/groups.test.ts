import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, NOT_FOUND, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });

const ref = (id: string) => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
const filterPath = (name: string) => `/groups?$filter=${encodeURIComponent(`displayName eq '${name.replaceAll("'", "''")}'`)}&$select=id,displayName,groupTypes`;

describe("sandbox groups", () => {
  it("filters by displayName with doubled quotes, and returns every group sharing a name", async () => {
    const apostrophe = await graph(sandbox, "GET", filterPath("O'Brien's Team"));
    expect(apostrophe.status).toBe(200);
    expect(apostrophe.body.value).toEqual([{ id: DEMO.obriens, displayName: "O'Brien's Team", groupTypes: [] }]);
    const twins = await graph(sandbox, "GET", filterPath("Sales Team"));
    expect(twins.body.value).toHaveLength(2);
    expect((await graph(sandbox, "GET", filterPath("Nobody's Group"))).body.value).toEqual([]);
  });

  it("adds a member (204), then refuses the same member with the exact already-exists message", async () => {
    expect((await graph(sandbox, "POST", `/groups/${DEMO.salesSecurity}/members/$ref`, ref(DEMO.adele))).status).toBe(204);
    expect(sandbox.tenant.groups.find((g) => g.id === DEMO.salesSecurity)?.members).toContain(DEMO.adele);
    const again = await graph(sandbox, "POST", `/groups/${DEMO.salesSecurity}/members/$ref`, ref(DEMO.adele));
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: "Request_BadRequest", message: "One or more added object references already exist for the following modified properties: 'members'." });
  });

  it("answers 404 for an unknown member object and for an unknown group", async () => {
    const member = await graph(sandbox, "POST", `/groups/${DEMO.salesSecurity}/members/$ref`, ref("00000000-0000-0000-0000-000000000001"));
    expect(member.status).toBe(404);
    expect(member.body.error.message).toBe(NOT_FOUND("00000000-0000-0000-0000-000000000001"));
    const group = await graph(sandbox, "GET", "/groups/00000000-0000-0000-0000-000000000002");
    expect(group.body.error).toMatchObject({ code: "Request_ResourceNotFound", message: NOT_FOUND("00000000-0000-0000-0000-000000000002") });
  });

  it("removes a member (204); a non-member gets variant (b) 400 and an unknown id variant (a) 404", async () => {
    expect((await graph(sandbox, "DELETE", `/groups/${DEMO.marketing}/members/${DEMO.adele}/$ref`)).status).toBe(204);
    const nonMember = await graph(sandbox, "DELETE", `/groups/${DEMO.marketing}/members/${DEMO.adele}/$ref`);
    expect(nonMember.status).toBe(400);
    expect(nonMember.body.error).toMatchObject({ code: "Request_BadRequest", message: "One or more removed object references do not exist for the following modified properties: 'members'." });
    const unknown = await graph(sandbox, "DELETE", `/groups/${DEMO.marketing}/members/11111111-1111-1111-1111-111111111111/$ref`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: "Request_ResourceNotFound", message: NOT_FOUND("11111111-1111-1111-1111-111111111111") });
  });

  it("refuses member changes on dynamic (403), mail-enabled security and distribution (400) and synced (400) groups", async () => {
    const dynamic = await graph(sandbox, "POST", `/groups/${DEMO.allUsers}/members/$ref`, ref(DEMO.reception));
    expect(dynamic.status).toBe(403);
    expect(dynamic.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    for (const id of [DEMO.financeApprovers, DEMO.allStaff]) {
      const answer = await graph(sandbox, "DELETE", `/groups/${id}/members/${DEMO.isaiah}/$ref`);
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe("Cannot Update a mail-enabled security groups and or distribution list.");
    }
    const synced = await graph(sandbox, "POST", `/groups/${DEMO.hqAccess}/members/$ref`, ref(DEMO.ben));
    expect(synced.status).toBe(400);
    expect(synced.body.error.message).toBe("Unable to update the specified properties for objects that have originated within an external service.");
    expect(sandbox.tenant.groups.find((g) => g.id === DEMO.hqAccess)?.members).not.toContain(DEMO.ben);
  });

  it("pages memberOf/microsoft.graph.group by $top through @odata.nextLink", async () => {
    const seen: string[] = [];
    let next: string | undefined = `/users/${DEMO.conor}/memberOf/microsoft.graph.group?$top=2&$select=id,displayName`;
    let pages = 0;
    while (next) {
      const answer = await graph(sandbox, "GET", next);
      expect(answer.status).toBe(200);
      expect(answer.body.value.length).toBeLessThanOrEqual(2);
      for (const g of answer.body.value) {
        expect(g["@odata.type"]).toBe("#microsoft.graph.group");
        seen.push(g.id);
      }
      pages++;
      const link = answer.body["@odata.nextLink"] as string | undefined;
      next = link ? link.slice(sandbox.graphBaseUrl.length) : undefined;
    }
    const expected = sandbox.tenant.groups.filter((g) => g.members.includes(DEMO.conor)).map((g) => g.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 2));
  });

  it("lists group members with their @odata.type", async () => {
    const answer = await graph(sandbox, "GET", `/groups/${DEMO.obriens}/members?$select=id,userPrincipalName`);
    expect(answer.body.value).toEqual([{ "@odata.type": "#microsoft.graph.user", id: DEMO.conor, userPrincipalName: "conor.obrien@contoso.com" }]);
  });
});
