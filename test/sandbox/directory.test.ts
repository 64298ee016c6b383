/**
 * What requester policy reads from the sandbox tenant: memberships with directory roles (direct,
 * nested, through a role-assignable group) and the manager chain with Graph's advanced-query rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../sandbox";
import { DEMO, graph, startTestSandbox } from "./helpers";

let sandbox: Sandbox;
beforeAll(async () => { sandbox = await startTestSandbox(); });
afterAll(async () => { await sandbox.close(); });

const EVENTUAL = { ConsistencyLevel: "eventual" };
const ids = (value: Array<{ id: string }>) => value.map((o) => o.id).sort();

describe("sandbox memberships and directory roles", () => {
  it("lists a Global Administrator's role in memberOf as a #microsoft.graph.directoryRole", async () => {
    const answer = await graph(sandbox, "GET", "/users/it.admin@contoso.com/memberOf?$select=id,displayName,roleTemplateId");
    expect(answer.status).toBe(200);
    const role = answer.body.value.find((o: { "@odata.type": string }) => o["@odata.type"] === "#microsoft.graph.directoryRole");
    expect(role).toEqual({ "@odata.type": "#microsoft.graph.directoryRole", id: DEMO.globalAdminRole, displayName: "Global Administrator", roleTemplateId: DEMO.globalAdminTemplate });
    const groupsOnly = await graph(sandbox, "GET", "/users/it.admin@contoso.com/memberOf/microsoft.graph.group?$select=id");
    expect(groupsOnly.body.value.every((o: { "@odata.type": string }) => o["@odata.type"] === "#microsoft.graph.group")).toBe(true);
    expect(groupsOnly.body["@odata.context"]).toBe(`${sandbox.graphBaseUrl}/$metadata#groups(id)`);
  });

  it("sees a role held through a role-assignable group only in transitiveMemberOf", async () => {
    const direct = await graph(sandbox, "GET", "/users/nestor.wilke@contoso.com/memberOf?$select=id");
    expect(ids(direct.body.value)).toEqual([DEMO.helpdeskAdmins]);
    const transitive = await graph(sandbox, "GET", "/users/nestor.wilke@contoso.com/transitiveMemberOf?$select=id,displayName");
    expect(ids(transitive.body.value)).toEqual([DEMO.helpdeskAdmins, DEMO.serviceDesk, DEMO.helpdeskAdminRole].sort());
    const roles = await graph(sandbox, "GET", "/users/nestor.wilke@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName");
    expect(roles.body.value).toEqual([{ "@odata.type": "#microsoft.graph.directoryRole", displayName: "Helpdesk Administrator" }]);
  });

  it("pages transitiveMemberOf with $top and @odata.nextLink, and answers 404 for an unknown user", async () => {
    const first = await graph(sandbox, "GET", "/users/nestor.wilke@contoso.com/transitiveMemberOf?$select=id&$top=2");
    expect(first.body.value).toHaveLength(2);
    const next = new URL(first.body["@odata.nextLink"]);
    const rest = await graph(sandbox, "GET", `${next.pathname.replace("/v1.0", "")}${next.search}`);
    expect(rest.body.value).toHaveLength(1);
    expect(rest.body["@odata.nextLink"]).toBeUndefined();
    expect((await graph(sandbox, "GET", "/users/ghost@contoso.com/transitiveMemberOf")).status).toBe(404);
  });

  it("lists activated directory roles and their members", async () => {
    const roles = await graph(sandbox, "GET", "/directoryRoles?$select=id,displayName");
    expect(roles.body.value).toEqual(expect.arrayContaining([{ id: DEMO.globalAdminRole, displayName: "Global Administrator" }]));
    const members = await graph(sandbox, "GET", `/directoryRoles/${DEMO.globalAdminRole}/members?$select=id`);
    expect(ids(members.body.value)).toEqual([DEMO.admin, DEMO.breakglass].sort());
  });
});

describe("sandbox roles beyond memberships: eligible (PIM) and administrative-unit roles", () => {
  it("lists eligibility instances, a user's scoped roles and a role definition's name; without PIM's licence, 400 AadPremiumLicenseRequired", async () => {
    sandbox.tenant.roleEligibilities = [{ principalId: DEMO.adele, roleTemplateId: "62e90394-69f5-4237-9190-012177145e10" }];
    sandbox.tenant.scopedRoleMemberships = [{ userId: DEMO.adele, roleId: "bf1a1ccb-f157-5ec2-8980-0fa7e0500892", administrativeUnitId: "au-1" }];
    const eligible = await graph(sandbox, "GET", "/roleManagement/directory/roleEligibilityScheduleInstances?$select=principalId,roleDefinitionId,directoryScopeId");
    expect(eligible.body.value).toEqual([{ principalId: DEMO.adele, roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/" }]);
    const scoped = await graph(sandbox, "GET", "/users/ADELE.Vance@contoso.com/scopedRoleMemberOf");
    expect(scoped.body.value).toEqual([expect.objectContaining({ roleId: "bf1a1ccb-f157-5ec2-8980-0fa7e0500892", administrativeUnitId: "au-1", roleMemberInfo: expect.objectContaining({ id: DEMO.adele }) })]);
    expect((await graph(sandbox, "GET", "/users/ghost@contoso.com/scopedRoleMemberOf")).status).toBe(404);
    expect((await graph(sandbox, "GET", "/roleManagement/directory/roleDefinitions/29232cdf-9323-42fd-ade2-1d097af3e4de?$select=displayName")).body.displayName).toBe("Exchange Administrator");
    sandbox.tenant.pimLicensed = false;
    const unlicensed = await graph(sandbox, "GET", "/roleManagement/directory/roleEligibilityScheduleInstances");
    expect([unlicensed.status, unlicensed.body.error.code]).toEqual([400, "AadPremiumLicenseRequired"]);
    delete sandbox.tenant.pimLicensed;
    sandbox.tenant.roleEligibilities = [];
    sandbox.tenant.scopedRoleMemberships = [];
  });
});

describe("sandbox manager chain ($expand=manager)", () => {
  it("expands the whole chain with $levels=max as an advanced query, nested as Graph nests it", async () => {
    const answer = await graph(sandbox, "GET", "/users/adele.vance@contoso.com?$select=id,displayName&$expand=manager($levels=max;$select=id,displayName)&$count=true", undefined, EVENTUAL);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: DEMO.adele, displayName: "Adele Vance",
      manager: { "@odata.type": "#microsoft.graph.user", id: DEMO.grace, displayName: "Grace Taylor", manager: { id: DEMO.isaiah, displayName: "Isaiah Langer" } },
    });
    expect(answer.body.manager.manager.manager).toBeUndefined();
  });

  it("stops at $levels=n, and omits manager for someone who has none", async () => {
    const one = await graph(sandbox, "GET", "/users/adele.vance@contoso.com?$select=id&$expand=manager($levels=1;$select=id)&$count=true", undefined, EVENTUAL);
    expect(one.body.manager).toEqual({ "@odata.type": "#microsoft.graph.user", id: DEMO.grace });
    const ceo = await graph(sandbox, "GET", "/users/isaiah.langer@contoso.com?$select=id&$expand=manager($levels=max;$select=id)&$count=true", undefined, EVENTUAL);
    expect(ceo.body).toEqual({ "@odata.context": expect.any(String), id: DEMO.isaiah });
    const plain = await graph(sandbox, "GET", "/users/adele.vance@contoso.com?$select=id&$expand=manager");
    expect(plain.body.manager.id).toBe(DEMO.grace);
    expect(plain.body.manager.manager).toBeUndefined();
  });

  it("refuses $levels without ConsistencyLevel: eventual and $count=true, on a list, and out of range", async () => {
    const path = "/users/adele.vance@contoso.com?$select=id&$expand=manager($levels=max;$select=id)";
    for (const [url, headers] of [[path, EVENTUAL], [`${path}&$count=true`, {}]] as const) {
      const answer = await graph(sandbox, "GET", url, undefined, headers);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("Request_UnsupportedQuery");
    }
    const list = await graph(sandbox, "GET", "/users?$expand=manager($levels=max)&$count=true", undefined, EVENTUAL);
    expect(list.status).toBe(400);
    expect(list.body.error.code).toBe("Request_UnsupportedQuery");
    const tooDeep = await graph(sandbox, "GET", "/users/adele.vance@contoso.com?$expand=manager($levels=1001)&$count=true", undefined, EVENTUAL);
    expect(tooDeep.status).toBe(400);
  });

  it("answers the chain inside a $batch, where the header travels with the item", async () => {
    const answer = await graph(sandbox, "POST", "/$batch", {
      requests: [{ id: "1", method: "GET", url: "/users/ben.walters@contoso.com?$select=id&$expand=manager($levels=max;$select=id)&$count=true", headers: EVENTUAL }],
    });
    const item = answer.body.responses[0];
    expect(item.status).toBe(200);
    expect(item.body.manager).toMatchObject({ id: DEMO.diego, manager: { id: DEMO.isaiah } });
  });
});
