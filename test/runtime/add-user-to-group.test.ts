import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadCatalog, mapFields, type CompiledIntent } from "../../engine/index";
import { graphError, startLoopbackGraph, type Answer, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "./services";
import { builtinKindSpecs } from "../../engine/kinds";

const intent = loadCatalog(builtinKindSpecs()).find("ADD   user to group") as CompiledIntent;
let graph: LoopbackGraph;

beforeEach(async () => {
  graph = await startLoopbackGraph();
  graph.route("GET", "/users/:upn", (_, p) =>
    p.upn === "jane@contoso.com" ? { status: 200, body: { id: "u-1", displayName: "Jane", userPrincipalName: p.upn } } : graphError(404, "Request_ResourceNotFound", "Resource does not exist"),
  );
});
afterEach(() => graph.close());

const plainGroup = { id: "g-1", displayName: "Marketing", groupTypes: ["Unified"], mailEnabled: false, securityEnabled: true, onPremisesSyncEnabled: null };

function groups(...value: unknown[]): void {
  graph.route("GET", "/groups", { status: 200, body: { value } });
}

async function run(group = "Marketing", mode: "live" | "dry-run" = "live") {
  const mapped = mapFields(intent, { "User Email": "jane@contoso.com", "Group Name": group });
  if (!mapped.ok) throw new Error("fields");
  return execute(intent, { fields: mapped.fields, run: runContext(), services: testServices(graph.client()), mode });
}

describe("Add User to Group over real HTTP", () => {
  it("looks up user and group in one $batch, then POSTs the member reference", async () => {
    groups(plainGroup);
    graph.route("POST", "/groups/:id/members/$ref", { status: 204 });
    const result = await run("O'Brien & Co");
    expect(result.status).toBe("succeeded");
    expect(result.message).toBe("jane@contoso.com is now a member of Marketing.");
    const [user, group, add] = graph.received;
    expect(user?.viaBatch && group?.viaBatch).toBe(true);
    expect(group?.query.$filter).toBe("displayName eq 'O''Brien & Co'");
    expect(add).toMatchObject({ method: "POST", segments: ["groups", "g-1", "members", "$ref"], viaBatch: false });
    expect(add?.body).toEqual({ "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u-1" });
    expect(result.outputs).toEqual({ groupId: "g-1" });
  });

  it("treats Graph's 'already exist' 400 on the POST as ok, without a pre-read", async () => {
    groups(plainGroup);
    graph.route("POST", "/groups/:id/members/$ref", graphError(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'."));
    const result = await run();
    expect(result.status).toBe("succeeded");
    expect(result.steps.map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(result.message).toBe("jane@contoso.com was already a member of Marketing.");
    expect(graph.received.filter((r) => r.path.includes("members")).map((r) => r.method)).toEqual(["POST"]);
  });

  const cases: Array<[string, unknown[], string, RegExp]> = [
    ["no group", [], "GROUP_NOT_FOUND", /No group is named Marketing/],
    ["two groups", [plainGroup, { ...plainGroup, id: "g-2" }], "GROUP_AMBIGUOUS", /2 groups are named Marketing \(ids: g-1, g-2\)/],
    ["a dynamic group", [{ ...plainGroup, groupTypes: ["DynamicMembership"] }], "GROUP_DYNAMIC", /dynamic group/],
    ["a synced group", [{ ...plainGroup, onPremisesSyncEnabled: true }], "GROUP_SYNCED", /on-premises/],
    ["a distribution list", [{ ...plainGroup, groupTypes: [], mailEnabled: true, securityEnabled: false }], "GROUP_MAIL_ENABLED", /Exchange Online manages/],
  ];
  for (const [name, value, code, message] of cases) {
    it(`fails clearly for ${name} and sends no write`, async () => {
      groups(...value);
      const result = await run();
      expect(result.status).toBe("failed");
      expect(result.error?.code).toBe(code);
      expect(result.error?.message).toMatch(message);
      expect(graph.received.every((r) => r.method === "GET")).toBe(true);
    });
  }

  it("reports an unknown user as USER_NOT_FOUND", async () => {
    groups(plainGroup);
    const mapped = mapFields(intent, { "User Email": "ghost@contoso.com", "Group Name": "Marketing" });
    if (!mapped.ok) throw new Error("fields");
    const result = await execute(intent, { fields: mapped.fields, run: runContext(), services: testServices(graph.client()) });
    expect(result.error?.code).toBe("USER_NOT_FOUND");
  });

  it("passes Graph's own error through as GRAPH_ERROR when the member POST fails otherwise", async () => {
    groups(plainGroup);
    graph.route("POST", "/groups/:id/members/$ref", graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    const result = await run();
    expect(result.status).toBe("failed");
    expect(result.error).toEqual({ code: "GRAPH_ERROR", message: "Microsoft Graph answered 403 (Authorization_RequestDenied: Insufficient privileges to complete the operation.)." });
  });

  it("dry-run sends the reads but not the write, and shows the planned POST", async () => {
    groups(plainGroup);
    const result = await run("Marketing", "dry-run");
    expect(graph.received.map((r) => r.method)).toEqual(["GET", "GET"]);
    expect(result.steps[1]).toMatchObject({ status: "skipped", planned: { method: "POST", path: "/groups/g-1/members/$ref" } });
    expect(result.message).toMatch(/^Dry run, nothing was changed/);
  });
});
