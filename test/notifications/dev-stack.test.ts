/** The demo from `npm start`: a Marketing user created in the sandbox tenant lands in the Marketing group. */
import { describe, expect, it } from "vitest";
import { LOCAL_DEV_SECRET, startDevStack } from "../../engine/hosts/local/dev-stack";

const MARKETING = "04075811-bc0f-5730-bbd5-3fc23d798f66";

describe("npm start with a triggered intent", () => {
  it("subscribes at start and runs the demo intent when the sandbox reports a new user", async () => {
    const stack = await startDevStack({ env: {}, port: 0, azuriteLocation: null });
    try {
      expect((await stack.subscriptions).find((line) => line.startsWith("change notifications:"))).toContain("subscriptions: users");
      const graph = /Graph (\S+\/v1\.0)/.exec(stack.describe.join("\n"))?.[1] as string;
      const headers = { authorization: "Bearer sandbox", "content-type": "application/json" };
      const created = await fetch(`${graph}/users`, {
        method: "POST", headers,
        body: JSON.stringify({ accountEnabled: true, displayName: "Mia", mailNickname: "mia", userPrincipalName: "mia@contoso.com", department: "Marketing", passwordProfile: { password: "xWwvJ]6NMw+bWH-d" } }),
      });
      const { id } = (await created.json()) as { id: string };
      // The local poller picks the notification up within its idle interval (1 s).
      let members: string[] = [];
      for (let tries = 0; tries < 50 && !members.includes(id); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const answer = await fetch(`${graph}/groups/${MARKETING}/members?$select=id`, { headers });
        members = ((await answer.json()) as { value: Array<{ id: string }> }).value.map((m) => m.id);
      }
      expect(members).toContain(id);
    } finally {
      await stack.close();
    }
  });

  it("answers its first webhook before it subscribes, then subscribes", async () => {
    const stack = await startDevStack({ env: {}, port: 0, azuriteLocation: null });
    try {
      const control = /control (http:\/\/[^/]+)/.exec(stack.describe.join("\n"))?.[1] as string;
      const subscriptionPosts = async () => ((await (await fetch(`${control}/_sandbox/requests`)).json()) as { value: Array<{ method: string; path: string; sequence: number }> })
        .value.filter((entry) => entry.method === "POST" && entry.path.endsWith("/subscriptions"));
      // Listening is not waiting on Graph's handshake: nothing is subscribed yet.
      expect(await subscriptionPosts()).toEqual([]);
      const answer = await fetch(`${stack.url}/api/intent`, {
        method: "POST",
        headers: { "x-intent-secret": LOCAL_DEV_SECRET },
        body: JSON.stringify({ intent_name: "Revoke Sessions", intent_fields: { "User Email": "adele.vance@contoso.com" }, meta_data: { ticket_id: 31, contact_email: "adele.vance@contoso.com" } }),
      });
      expect(answer.status).toBe(200);
      const answeredAt = ((await (await fetch(`${control}/_sandbox/requests`)).json()) as { value: Array<{ sequence: number }> }).value.at(-1)?.sequence ?? 0;
      const banner = await stack.subscriptions;
      expect(banner.find((line) => line.startsWith("change notifications:"))).toContain("subscriptions: users");
      // The storage connection string carries the account key: the banner never shows it.
      expect(banner.join("\n")).not.toMatch(/AccountKey|DefaultEndpointsProtocol/);
      const posts = await subscriptionPosts();
      expect(posts).toHaveLength(1);
      // The run's Graph requests all came before the subscription was made.
      expect(posts[0]!.sequence).toBeGreaterThan(answeredAt);
    } finally {
      await stack.close();
    }
  });

  it("closes cleanly before it has subscribed, and never subscribes after", async () => {
    const stack = await startDevStack({ env: {}, port: 0, azuriteLocation: null });
    await stack.close();
    expect(await stack.subscriptions).toEqual([]);
  });
});
