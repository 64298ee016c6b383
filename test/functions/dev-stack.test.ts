/** `npm start`'s stack: sandbox + Azurite + server + poller from empty settings, and a clean stop. */
import { describe, expect, it } from "vitest";
import { LOCAL_DEV_SECRET, startDevStack } from "../../engine/hosts/local/dev-stack";

describe("startDevStack", () => {
  it("serves the demo tenant with the local default secret and stops cleanly", async () => {
    const stack = await startDevStack({ env: {}, port: 0, azuriteLocation: null });
    try {
      expect(stack.sharedSecret).toBe(LOCAL_DEV_SECRET);
      const response = await fetch(`${stack.url}/api/intent`, {
        method: "POST",
        headers: { "x-intent-secret": LOCAL_DEV_SECRET },
        body: JSON.stringify({ intent_name: "Add User to Group", intent_fields: { "User Email": "johanna.lorenz@contoso.com", "Group Name": "IT Department" }, meta_data: { ticket_id: 9, contact_email: "johanna.lorenz@contoso.com" } }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { status: string; runId: string };
      expect(answer.status).toBe("succeeded");
      // The run's notes reach the ConnectWise simulator (PSA_KIND's default) from the outbox queue.
      const notesOf = async () => ((await (await fetch(`${stack.psa?.connectwise.url}/_sandbox/tickets/9/notes`)).json()) as { value: Array<{ text: string; internal: boolean }> });
      await stack.drainReports();
      // Only when the stack's own poller took the message first does this wait for it to finish.
      for (let i = 0; i < 100 && (await notesOf()).value.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const notes = await notesOf();
      expect(notes.value.map((n) => n.internal)).toEqual([true, false]);
      expect(notes.value[0]?.text).toContain(answer.runId);
    } finally {
      await stack.close();
    }
    await expect(fetch(`${stack.url}/api/health`)).rejects.toThrow();
  });
});
