/** A webhook value in a Graph body URL over real HTTP: one encoded segment, or the step fails before anything is sent. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadIntentText, mapFields, type CompiledIntent } from "../../engine/index";
import { startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "./services";
import { builtinKindSpecs } from "../../engine/kinds";

const intent = loadIntentText("member.yaml", `apiVersion: intents/v1
kind: Intent
name: Add member by id
description: d
risk: reversible
permissions: { graph: [GroupMember.ReadWrite.All] }
fields:
  member: { label: Member, type: string, required: true }
steps:
  - id: add
    kind: graph:request
    with:
      method: POST
      path: /groups/{groupId}/members/$ref
      params: { groupId: g-1 }
      body:
        "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{{fields.member}}"
result:
  messages: { succeeded: "added", failed: "failed: {{error.message}}" }
`, { kinds: builtinKindSpecs() }).intent as CompiledIntent;

let graph: LoopbackGraph;
beforeEach(async () => {
  graph = await startLoopbackGraph();
  graph.route("POST", "/groups/:id/members/$ref", { status: 204 });
});
afterEach(() => graph.close());

async function run(member: string) {
  const mapped = mapFields(intent, { Member: member });
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  return execute(intent, { fields: mapped.fields, run: runContext(), services: testServices(graph.client()) });
}

describe("a Graph body URL at run time", () => {
  it("sends a climbing value as one encoded segment of a Graph URL", async () => {
    const result = await run("../../users/admin@contoso.com");
    expect(result.status).toBe("succeeded");
    const sent = graph.received[0]?.body as { "@odata.id": string };
    expect(sent["@odata.id"]).toBe("https://graph.microsoft.com/v1.0/directoryObjects/..%2F..%2Fusers%2Fadmin%40contoso.com");
    expect(new URL(sent["@odata.id"]).pathname.split("/")).toHaveLength(4);
  });

  it("fails the step with TEMPLATE_URL_SEGMENT for a dot segment and sends nothing", async () => {
    const result = await run("..");
    expect(result.status).toBe("failed");
    expect(result.steps[0]).toMatchObject({ status: "failed", error: { code: "TEMPLATE_URL_SEGMENT" } });
    expect(result.error?.message).toMatch(/is empty or a dot segment/);
    expect(graph.received).toHaveLength(0);
  });
});
