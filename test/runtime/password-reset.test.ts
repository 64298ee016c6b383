import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadCatalog, mapFields, type CompiledIntent, type StepCheckpoint } from "../../engine/index";
import { graphError, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { runContext, testServices } from "./services";
import { builtinKindSpecs } from "../../engine/kinds";

const intent = loadCatalog(builtinKindSpecs()).find("password reset") as CompiledIntent;
let graph: LoopbackGraph;

beforeEach(async () => {
  graph = await startLoopbackGraph();
});
afterEach(() => graph.close());

function fields(input: Record<string, unknown>): Record<string, unknown> {
  const mapped = mapFields(intent, input);
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  return mapped.fields;
}

describe("Password Reset over real HTTP", () => {
  it("generates a password, PATCHes the user and mails it to the helpdesk without ever showing it", async () => {
    graph.route("PATCH", "/users/:upn", { status: 204 });
    graph.route("POST", "/users/:from/sendMail", { status: 202 });
    const services = testServices(graph.client());
    const result = await execute(intent, { fields: fields({ "user email": "jane@contoso.com" }), run: runContext(), services });

    expect(result.status).toBe("succeeded");
    const [patch, mail] = graph.received;
    expect(patch?.segments).toEqual(["users", "jane@contoso.com"]);
    const password = (patch?.body as { passwordProfile: { password: string; forceChangePasswordNextSignIn: boolean } }).passwordProfile;
    expect(password.forceChangePasswordNextSignIn).toBe(true); // default of a missing yes/no field
    expect(password.password).toHaveLength(16);
    expect(mail?.segments).toEqual(["users", "noreply@contoso.com", "sendMail"]);
    const message = (mail?.body as { message: { toRecipients: unknown; body: { content: string } } }).message;
    expect(message.toRecipients).toEqual([{ emailAddress: { address: "helpdesk@contoso.com" } }]);
    expect(message.body.content).toContain(password.password);
    expect(result.message).toContain("sent to the helpdesk");
    const everything = JSON.stringify({ result, events: services.eventLog });
    expect(everything).not.toContain(password.password);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([["password", "ok"], ["reset", "changed"], ["deliver", "changed"]]);
  });

  it("uses the given temporary password, honours Force Change = No and sends no mail", async () => {
    graph.route("PATCH", "/users/:upn", { status: 204 });
    const result = await execute(intent, {
      fields: fields({ "User Email": "jane@contoso.com", "Temporary Password": "Given-Pass-123", "FORCE change on login": "No" }),
      run: runContext(),
      services: testServices(graph.client()),
    });
    expect(result.status).toBe("succeeded");
    expect(graph.received).toHaveLength(1);
    expect(graph.received[0]?.body).toEqual({ passwordProfile: { password: "Given-Pass-123", forceChangePasswordNextSignIn: false } });
    expect(result.steps.find((s) => s.id === "deliver")?.status).toBe("skipped");
    expect(JSON.stringify(result)).not.toContain("Given-Pass-123");
  });

  it("refuses a secret field too short to mask, even when the caller skipped field mapping, and sends nothing", async () => {
    const result = await execute(intent, {
      fields: { userEmail: "jane@contoso.com", tempPassword: "pass", forceChange: true },
      run: runContext(),
      services: testServices(graph.client()),
    });
    expect(result.status).toBe("failed");
    expect(result.error?.code).toBe("SECRET_REFUSED");
    expect(graph.received).toHaveLength(0);
    expect(JSON.stringify(result)).not.toMatch(/\bpass\b/);
  });

  it("reports USER_NOT_FOUND for a 404 and stops before delivering anything", async () => {
    graph.route("PATCH", "/users/:upn", graphError(404, "Request_ResourceNotFound", "Resource 'ghost@contoso.com' does not exist"));
    const result = await execute(intent, { fields: fields({ "User Email": "ghost@contoso.com" }), run: runContext(), services: testServices(graph.client()) });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ code: "USER_NOT_FOUND", message: "No user ghost@contoso.com exists in this tenant." });
    expect(result.message).toBe("The password could not be reset: No user ghost@contoso.com exists in this tenant.");
    expect(graph.received.map((r) => r.method)).toEqual(["PATCH"]);
  });

  it("masks a secret that Graph echoes back in its error message", async () => {
    graph.route("PATCH", "/users/:upn", graphError(403, "Authorization_RequestDenied", "Cannot set password Given-Pass-123 for this user."));
    const result = await execute(intent, {
      fields: fields({ "User Email": "jane@contoso.com", "Temporary Password": "Given-Pass-123" }),
      run: runContext(),
      services: testServices(graph.client()),
    });
    expect(result.error).toEqual({ code: "GRAPH_ERROR", message: "Microsoft Graph answered 403 (Authorization_RequestDenied: Cannot set password *** for this user.)." });
    expect(JSON.stringify(result)).not.toContain("Given-Pass-123");
  });

  it("dry-run sends no write and masks the secret in the planned request", async () => {
    const result = await execute(intent, {
      fields: fields({ "User Email": "jane@contoso.com", "Temporary Password": "Given-Pass-123" }),
      run: runContext(),
      services: testServices(graph.client()),
      mode: "dry-run",
    });
    expect(graph.received).toEqual([]);
    const planned = result.steps.find((s) => s.id === "reset")?.planned as { method: string; path: string; body: unknown };
    expect(planned).toMatchObject({ method: "PATCH", path: "/users/jane%40contoso.com" });
    expect(planned.body).toEqual({ passwordProfile: { password: "***", forceChangePasswordNextSignIn: true } });
    expect(JSON.stringify(result)).not.toContain("Given-Pass-123");
  });

  it("a run resumed after its delivery failed restores the password it set (never a new one), delivers it, then forgets it", async () => {
    graph.route("PATCH", "/users/:upn", { status: 204 });
    let mailUp = false;
    graph.route("POST", "/users/:from/sendMail", () => (mailUp ? { status: 202 } : graphError(503, "ServiceUnavailable", "Try later.")));
    const saved: Record<string, StepCheckpoint> = {};
    const journal = { load: async () => structuredClone(saved), save: async (id: string, c: StepCheckpoint) => void (saved[id] = structuredClone(c)) };
    const input = { fields: fields({ "User Email": "jane@contoso.com" }), run: runContext(), services: testServices(graph.client()), journal };
    const first = await execute(intent, input);
    expect(first.status).toBe("running"); // the delivery waits to be tried again
    const patched = (graph.received.find((r) => r.method === "PATCH")?.body as { passwordProfile: { password: string } }).passwordProfile.password;
    expect(saved.password?.secrets).toEqual({ value: patched });
    expect(saved.reset?.result.status).toBe("changed");
    expect(JSON.stringify(saved.reset)).not.toContain(patched);
    mailUp = true;
    const resumed = await execute(intent, { ...input, attempt: 2 });
    expect(resumed.status).toBe("succeeded");
    expect(resumed.steps.map((s) => [s.id, s.status, s.resumed === true])).toEqual([["password", "ok", true], ["reset", "changed", true], ["deliver", "changed", false]]);
    expect(graph.received.filter((r) => r.method === "PATCH")).toHaveLength(1);
    const delivered = graph.received.filter((r) => r.path.endsWith("/sendMail")).at(-1)?.body as { message: { body: { content: string } } };
    expect(delivered.message.body.content).toContain(patched);
    expect(JSON.stringify(saved)).not.toContain(patched);
  });
});
