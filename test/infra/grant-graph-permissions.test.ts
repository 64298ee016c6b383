import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IntentError } from "../../engine/core/errors";
import { computePermissions } from "../../engine/tooling/permissions/permissions";
import type { DocumentedIntent } from "../../engine/tooling/docs/types";
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID, grantPermissions, readPermissionSet } from "../../scripts/grant-graph-permissions";

const TOKEN = "test-token-value";
const SERVICE_PRINCIPALS: Record<string, { id: string; appRoles: Array<{ id: string; value: string; allowedMemberTypes: string[] }> }> = {
  [MICROSOFT_GRAPH_APP_ID]: {
    id: "graph-sp",
    appRoles: [
      { id: "role-user-rw", value: "User.ReadWrite.All", allowedMemberTypes: ["Application"] },
      { id: "role-user-read", value: "User.Read.All", allowedMemberTypes: ["Application"] },
      { id: "role-mail-send", value: "Mail.Send", allowedMemberTypes: ["Application"] },
      { id: "role-delegated", value: "Mail.Read", allowedMemberTypes: ["User"] },
    ],
  },
  [EXCHANGE_ONLINE_APP_ID]: { id: "exo-sp", appRoles: [{ id: "role-manage-as-app", value: "Exchange.ManageAsApp", allowedMemberTypes: ["Application"] }] },
};
const ROLE_DEFINITIONS: Record<string, string> = { "User Administrator": "def-user-admin", "Exchange Administrator": "def-exchange-admin" };

/** A loopback stand-in for the Graph endpoints the script calls, with their real shapes. */
const state = {
  appRoleAssignments: [] as Array<{ principalId: string; resourceId: string; appRoleId: string }>,
  roleAssignments: [] as Array<{ principalId: string; roleDefinitionId: string; directoryScopeId: string }>,
  posts: [] as string[],
  nextLinkOrigin: "",
  /** Answers this many requests with 429 (Retry-After 0, so no real waiting) before serving. */
  throttle: 0,
};
/** Graph's appRoleAssignment ids are opaque; this one is derived so state stays comparable. */
const assignmentId = (a: { principalId: string; appRoleId: string }): string => `${a.principalId}~${a.appRoleId}`;
let server: Server;
let graphUrl = "";

async function body(req: IncomingMessage): Promise<any> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    };
    if (state.throttle > 0) {
      state.throttle--;
      res.writeHead(429, { "content-type": "application/json", "retry-after": "0" }).end(JSON.stringify({ error: { code: "TooManyRequests", message: "Too many requests" } }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty." } });
    const url = new URL(req.url ?? "/", graphUrl);
    const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, "");
    const filter = url.searchParams.get("$filter") ?? "";
    let m: RegExpExecArray | null;
    if ((m = /^\/servicePrincipals\(appId='([^']+)'\)$/.exec(path))) return send(200, SERVICE_PRINCIPALS[m[1] as string]);
    if ((m = /^\/servicePrincipals\/([^/]+)\/appRoleAssignments\/([^/]+)$/.exec(path)) && req.method === "DELETE") {
      const [principalId, id] = [m[1] as string, m[2] as string];
      const at = state.appRoleAssignments.findIndex((a) => a.principalId === principalId && assignmentId(a) === id);
      if (at < 0) return send(404, { error: { code: "Request_ResourceNotFound", message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` } });
      state.appRoleAssignments.splice(at, 1);
      state.posts.push(`delete ${id}`);
      res.writeHead(204).end();
      return;
    }
    if ((m = /^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(path))) {
      const principalId = m[1] as string;
      if (req.method === "POST") {
        state.posts.push(`appRole ${principalId}`);
        state.appRoleAssignments.push(await body(req));
        return send(201, {});
      }
      const mine = state.appRoleAssignments.filter((a) => a.principalId === principalId).map((a) => ({ id: assignmentId(a), ...a }));
      // Two pages, so the script has to follow @odata.nextLink.
      if (url.searchParams.get("page") === "2") return send(200, { value: mine.slice(1) });
      return send(200, { value: mine.slice(0, 1), "@odata.nextLink": `${state.nextLinkOrigin || new URL(graphUrl).origin}/v1.0${path}?page=2` });
    }
    if (path === "/roleManagement/directory/roleDefinitions") {
      const name = /^displayName eq '(.*)'$/.exec(filter)?.[1]?.replace(/''/g, "'") ?? "";
      const id = ROLE_DEFINITIONS[name];
      return send(200, { value: id ? [{ id, displayName: name }] : [] });
    }
    if (path === "/roleManagement/directory/roleAssignments") {
      if (req.method === "POST") {
        state.posts.push("directoryRole");
        state.roleAssignments.push(await body(req));
        return send(201, {});
      }
      const principalId = /^principalId eq '(.*)'$/.exec(filter)?.[1];
      return send(200, { value: state.roleAssignments.filter((a) => a.principalId === principalId) });
    }
    send(404, { error: { code: "Request_ResourceNotFound", message: `no route ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  state.appRoleAssignments = [];
  state.roleAssignments = [];
  state.posts = [];
  state.nextLinkOrigin = "";
  state.throttle = 0;
});

function intent(name: string, graph: string[], entraRoles: string[] = [], exchangeRoles: string[] = []): DocumentedIntent {
  return { name, aliases: [], description: "", risk: "reversible", permissions: { graph, entraRoles, exchangeRoles }, fields: [], file: "" };
}

const lines: string[] = [];
const base = { token: TOKEN, functionPrincipalId: "func-mi", log: (l: string) => lines.push(l) };

describe("grantPermissions against Graph over HTTP", () => {
  const permissions = computePermissions([
    intent("Password Reset", ["User.ReadWrite.All", "Mail.Send"], ["User Administrator"]),
    intent("Lookup", ["User.Read.All"]),
  ]);

  it("grants the least-privilege set to the Function App identity, once", async () => {
    const first = await grantPermissions({ ...base, graphUrl, permissions });
    expect(first.granted).toEqual(["Function App: Mail.Send", "Function App: User.ReadWrite.All", "Function App: User Administrator"]);
    expect(state.appRoleAssignments).toEqual([
      { principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-mail-send" },
      { principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-user-rw" },
    ]);
    expect(state.roleAssignments).toEqual([{ principalId: "func-mi", roleDefinitionId: "def-user-admin", directoryScopeId: "/" }]);

    state.posts = [];
    const again = await grantPermissions({ ...base, graphUrl, permissions });
    expect(again.granted).toEqual([]);
    expect(again.present).toHaveLength(3);
    expect(again.unneeded).toEqual([]);
    expect(state.posts).toEqual([]);
  });

  it("gives Exchange.ManageAsApp and the declared Exchange roles to the identity the Exchange route runs under, only when an intent uses Exchange", async () => {
    await grantPermissions({ ...base, graphUrl, permissions, automationPrincipalId: "auto-mi" });
    expect(state.appRoleAssignments.filter((a) => a.resourceId === "exo-sp")).toEqual([]);

    const withExchange = computePermissions([intent("Convert", ["User.Read.All"], [], ["Exchange Administrator"])]);
    // The admin API (the default): the Function App calls Exchange itself.
    await grantPermissions({ ...base, graphUrl, permissions: withExchange, automationPrincipalId: "auto-mi" });
    expect(state.appRoleAssignments).toContainEqual({ principalId: "func-mi", resourceId: "exo-sp", appRoleId: "role-manage-as-app" });
    expect(state.roleAssignments).toContainEqual({ principalId: "func-mi", roleDefinitionId: "def-exchange-admin", directoryScopeId: "/" });
    expect(state.appRoleAssignments.filter((a) => a.principalId === "auto-mi")).toEqual([]);

    // Runbooks: the Automation account's identity connects to Exchange, and must be named.
    await grantPermissions({ ...base, graphUrl, permissions: withExchange, automationPrincipalId: "auto-mi", exchangeMode: "runbook" });
    expect(state.appRoleAssignments).toContainEqual({ principalId: "auto-mi", resourceId: "exo-sp", appRoleId: "role-manage-as-app" });
    expect(state.roleAssignments).toContainEqual({ principalId: "auto-mi", roleDefinitionId: "def-exchange-admin", directoryScopeId: "/" });
    await expect(grantPermissions({ ...base, graphUrl, permissions: withExchange, exchangeMode: "runbook" })).rejects.toMatchObject({ code: "CONFIG_MISSING" });
  });

  it("with the Exchange role held in Exchange (a scoped role group), grants Exchange.ManageAsApp alone", async () => {
    const withExchange = computePermissions([intent("Convert", ["User.Read.All"], [], ["Exchange Administrator"])]);
    const result = await grantPermissions({ ...base, graphUrl, permissions: withExchange, exchangeRoleInExchange: true });
    expect(state.appRoleAssignments).toContainEqual({ principalId: "func-mi", resourceId: "exo-sp", appRoleId: "role-manage-as-app" });
    expect(state.roleAssignments.filter((a) => a.roleDefinitionId === "def-exchange-admin")).toEqual([]);
    expect(result.granted).toContain("Function App: Exchange.ManageAsApp");
  });

  it("reports an earlier grant no intent needs any more, without revoking it", async () => {
    state.appRoleAssignments.push({ principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-user-read" });
    const result = await grantPermissions({ ...base, graphUrl, permissions });
    expect(result.unneeded).toEqual(["Function App: User.Read.All"]);
    expect(state.appRoleAssignments).toContainEqual({ principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-user-read" });
    expect(lines.some((l) => l.startsWith("not needed by any intent") && l.endsWith("Function App: User.Read.All"))).toBe(true);
  });

  it("with --exchange-scoped, leaves those permissions to Exchange RBAC: never granted in Entra, an earlier grant revoked", async () => {
    state.appRoleAssignments.push({ principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-mail-send" });
    lines.length = 0;
    const result = await grantPermissions({ ...base, graphUrl, permissions, exchangeScoped: ["Mail.Send"] });
    expect(result.revoked).toEqual(["Function App: Mail.Send"]);
    expect(result.granted).toEqual(["Function App: User.ReadWrite.All", "Function App: User Administrator"]);
    expect(result.unneeded).toEqual([]);
    expect(state.appRoleAssignments).toEqual([{ principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-user-rw" }]);
    expect(state.posts).toContain("delete func-mi~role-mail-send");
    expect(lines).toContain("revoked          Function App: Mail.Send (Exchange RBAC for Applications grants it, scoped)");

    state.posts = [];
    const again = await grantPermissions({ ...base, graphUrl, permissions, exchangeScoped: ["Mail.Send"] });
    expect([again.granted, again.revoked, state.posts]).toEqual([[], [], []]);
  });

  it("changes nothing in a dry run", async () => {
    const result = await grantPermissions({ ...base, graphUrl, permissions, dryRun: true });
    expect(result.granted).toHaveLength(3);
    expect(state.posts).toEqual([]);
  });

  it("refuses a permission Graph offers only as delegated, granting nothing", async () => {
    const delegatedOnly = computePermissions([intent("Reader", ["Mail.Read"])]);
    await expect(grantPermissions({ ...base, graphUrl, permissions: delegatedOnly })).rejects.toMatchObject({
      code: "GRAPH_ERROR",
      message: "There is no application permission named Mail.Read.",
    });
    expect(state.posts).toEqual([]);
  });

  it("rides out Graph throttling (429 with Retry-After) instead of failing the deployment", async () => {
    state.throttle = 3;
    const result = await grantPermissions({ ...base, graphUrl, permissions });
    expect(state.throttle).toBe(0);
    expect(result.granted).toHaveLength(3);
  });

  it("reports Graph's status and code without the token, and never follows a link to another origin", async () => {
    const failure = (await grantPermissions({ ...base, graphUrl, token: "wrong", permissions }).then(
      () => new Error("no failure"),
      (e: unknown) => e,
    )) as Error;
    expect(failure.message).toMatch(/^\[GET\] \/servicePrincipals.*: 401 InvalidAuthenticationToken/);
    expect(failure.message).not.toContain("wrong");
    expect((failure as IntentError).fix).toMatch(/^Sign in \(az login\)/);

    state.appRoleAssignments.push({ principalId: "func-mi", resourceId: "graph-sp", appRoleId: "role-mail-send" });
    state.nextLinkOrigin = "http://elsewhere.example";
    await expect(grantPermissions({ ...base, graphUrl, permissions })).rejects.toThrow(/'@odata.nextLink' points to another host \(http:\/\/elsewhere.example\); not followed/);
  });
});

describe("readPermissionSet", () => {
  const dir = mkdtempSync(join(tmpdir(), "grant-"));

  it("reads what `intents permissions --json` prints and rejects anything else", () => {
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify(computePermissions([intent("A", ["Mail.Send"])])));
    expect(readPermissionSet(good).graph.map((r) => r.name)).toEqual(["Mail.Send"]);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ graph: ["Mail.Send"] }));
    expect(() => readPermissionSet(bad)).toThrow(/lacks graph, entraRoles or exchangeRoles/);
    writeFileSync(bad, "not json");
    expect(() => readPermissionSet(bad)).toThrow(/is not JSON/);
  });
});
