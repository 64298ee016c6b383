import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execute, loadCatalog, mapFields, type CompiledIntent } from "../../engine/index";
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

  it("a resumed run regenerates and re-delivers the password instead of restoring it", async () => {
    graph.route("PATCH", "/users/:upn", { status: 204 });
    graph.route("POST", "/users/:from/sendMail", { status: 202 });
    const saved: Record<string, unknown> = {};
    const journal = { load: async () => ({}) as never, save: async (id: string, c: unknown) => void (saved[id] = c) };
    await execute(intent, { fields: fields({ "User Email": "jane@contoso.com" }), run: runContext(), services: testServices(graph.client()), journal });
    expect(Object.keys(saved)).toEqual([]); // every step of this intent handles the secret
  });
});
