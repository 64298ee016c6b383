/** The sandbox's subscription API and notification sender, against a loopback receiver. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox";
import { graph } from "../sandbox/helpers";

let now = Date.UTC(2026, 0, 2, 3, 4, 5);
let sandbox: Sandbox;
let receiver: Server;
let base: string;
/** How the receiver answers the handshake: echo decoded (right), echo encoded (wrong). */
let echo: "decoded" | "encoded" = "decoded";
const received: Array<{ path: string; body: any }> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => now });
  receiver = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = url.searchParams.get("validationToken");
    if (token !== null) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(echo === "decoded" ? token : encodeURIComponent(token));
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const minutes = (n: number) => new Date(now + n * 60_000).toISOString();
const settle = async () => (await fetch(`${sandbox.url}/_sandbox/subscriptions?settle=true`)).json() as Promise<any>;
function subscribe(overrides: Record<string, unknown> = {}) {
  return graph(sandbox, "POST", "/subscriptions", {
    changeType: "created,updated", resource: "/users", notificationUrl: `${base}/notify`,
    lifecycleNotificationUrl: `${base}/lifecycle`, expirationDateTime: minutes(60), clientState: "s3cret-state", ...overrides,
  });
}

describe("sandbox subscriptions", () => {
  it("validates the endpoint, then notifies created and updated users with clientState", async () => {
    const created = await subscribe();
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ resource: "/users", changeType: "created,updated", clientState: null });
    const validations = (await settle()).deliveries.filter((d: any) => d.kind === "validation");
    expect(validations.map((d: any) => d.status)).toEqual([200, 200]);

    const user = await graph(sandbox, "POST", "/users", {
      accountEnabled: true, displayName: "Nia Notify", mailNickname: "nia", userPrincipalName: "nia@contoso.com",
      passwordProfile: { password: "xWwvJ]6NMw+bWH-d" },
    });
    await graph(sandbox, "PATCH", `/users/${user.body.id}`, { department: "IT" });
    await graph(sandbox, "GET", `/users/${user.body.id}`);
    await settle();
    const items = received.filter((r) => r.path === "/notify").flatMap((r) => r.body.value);
    expect(items.map((i: any) => [i.changeType, i.resource, i.clientState, i.subscriptionId])).toEqual([
      ["created", `Users/${user.body.id}`, "s3cret-state", created.body.id],
      ["updated", `Users/${user.body.id}`, "s3cret-state", created.body.id],
    ]);
    expect(items[0].resourceData).toMatchObject({ "@odata.type": "#Microsoft.Graph.User", id: user.body.id });
  });

  it("refuses a subscription whose endpoint echoes the token still encoded", async () => {
    echo = "encoded";
    const refused = await subscribe();
    echo = "decoded";
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/validation request failed/);
  });

  it("caps the lifetime at 41,760 minutes, renews by PATCH and forgets an expired subscription", async () => {
    expect((await subscribe({ expirationDateTime: minutes(41_761) })).status).toBe(400);
    const sub = await subscribe({ expirationDateTime: minutes(10) });
    expect((await graph(sandbox, "PATCH", `/subscriptions/${sub.body.id}`, { expirationDateTime: minutes(41_760) })).status).toBe(200);
    now += 41_761 * 60_000;
    expect((await graph(sandbox, "GET", `/subscriptions/${sub.body.id}`)).status).toBe(404);
    expect((await graph(sandbox, "PATCH", `/subscriptions/${sub.body.id}`, { expirationDateTime: minutes(5) })).body.error.code).toBe("ResourceNotFound");
  });

  it("plays lifecycle events to the lifecycle URL; subscriptionRemoved drops the subscription", async () => {
    const sub = await subscribe();
    const answer = await fetch(`${sandbox.url}/_sandbox/subscriptions/${sub.body.id}/lifecycle`, { method: "POST", body: JSON.stringify({ lifecycleEvent: "subscriptionRemoved" }) });
    expect(answer.status).toBe(202);
    await settle();
    const last = received.filter((r) => r.path === "/lifecycle").at(-1)?.body.value[0];
    expect(last).toMatchObject({ subscriptionId: sub.body.id, lifecycleEvent: "subscriptionRemoved", clientState: "s3cret-state" });
    expect((await graph(sandbox, "GET", `/subscriptions/${sub.body.id}`)).status).toBe(404);
  });
});
