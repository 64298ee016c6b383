import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadIntentText } from "../../engine/index";
import { graphList } from "../../engine/kinds/graph/list";
import { mailSend, mailSendSpec } from "../../engine/kinds/graph/mail-send";
import type { StepRunContext } from "../../engine/core/step-kind";
import { testServices } from "../runtime/services";
import { startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { builtinKindSpecs } from "../../engine/kinds";

let graph: LoopbackGraph;
beforeEach(async () => {
  graph = await startLoopbackGraph();
});
afterEach(() => graph.close());

function ctx(): StepRunContext {
  const { clock, events } = testServices(graph.client());
  return { clock, events, runId: "r", stepId: "s", mode: "live", signal: new AbortController().signal, idempotent: false };
}

describe("Graph step kinds", () => {
  it("mail:send posts Graph's sendMail body to /users/{from}/sendMail and reads 202 as success", async () => {
    graph.route("POST", "/users/:from/sendMail", { status: 202 });
    const answer = await mailSend({ graph: graph.client() }).run({ from: "it@contoso.com", to: "a@contoso.com, b@contoso.com", subject: "Hi", body: "Text" }, ctx());
    expect(graph.received[0]?.segments).toEqual(["users", "it@contoso.com", "sendMail"]);
    expect(graph.received[0]?.body).toEqual({
      message: {
        subject: "Hi",
        body: { contentType: "Text", content: "Text" },
        toRecipients: [{ emailAddress: { address: "a@contoso.com" } }, { emailAddress: { address: "b@contoso.com" } }],
      },
      saveToSentItems: false,
    });
    expect(mailSendSpec.classify(answer.response)).toMatchObject({ success: true, status: 202 });
  });

  it("graph:list follows @odata.nextLink and returns every item", async () => {
    graph.route("GET", "/users/:id/memberOf", (req) =>
      req.query.page === "2"
        ? { status: 200, body: { value: [{ id: "c" }] } }
        : { status: 200, body: { value: [{ id: "a" }, { id: "b" }], "@odata.nextLink": `${graph.url}/users/u1/memberOf?page=2` } },
    );
    const answer = await graphList({ graph: graph.client() }).run({ method: "GET", path: "/users/{id}/memberOf", params: { id: "u1" } }, ctx());
    expect(answer.response).toEqual({ items: [{ id: "a" }, { id: "b" }, { id: "c" }], pages: 2 });
  });

  it("lint: a path placeholder needs a param, and every param needs a placeholder", () => {
    const loaded = loadIntentText("p.yaml", `apiVersion: intents/v1
kind: Intent
name: P
description: d
risk: read
permissions: { graph: [Directory.Read.All] }
fields: {}
steps:
  - id: a
    kind: graph:batch
    with:
      requests:
        one: { method: GET, path: "/users/{id}/memberOf", params: { upn: x } }
result: { messages: { succeeded: s, failed: f } }
`, { kinds: builtinKindSpecs() });
    expect(loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([
      "13:35 path placeholder {id} has no entry in params",
      '13:74 param "upn" is not a placeholder in path /users/{id}/memberOf',
    ]);
  });

  it("lint checks a step's literal input against its kind's schema; templates wait for run time", () => {
    const loaded = loadIntentText("s.yaml", `apiVersion: intents/v1
kind: Intent
name: S
description: d
risk: read
permissions: { graph: [] }
fields: { n: { label: N, type: integer } }
steps:
  - id: a
    kind: graph:request
    with:
      method: FETCH
      path: /me
      parms: { x: 1 }
  - id: b
    kind: secret:generate
    with: { length: "{{fields.n}}" }
result: { messages: { succeeded: s, failed: f } }
`, { kinds: builtinKindSpecs() });
    expect(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([
      'SPEC_STEP_INPUT 14:7 unknown key "parms" in with of graph:request; allowed: method, path, params, query, headers, body',
      "SPEC_STEP_INPUT 12:15 with.method must be equal to one of the allowed values: GET, POST, PATCH, PUT, DELETE (graph:request)",
    ]);
  });
});
