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
        body: JSON.stringify({ intent_name: "Add User to Group", intent_fields: { "User Email": "johanna.lorenz@contoso.com", "Group Name": "IT Department" }, meta_data: { ticket_id: 9 } }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { status: string }).status).toBe("succeeded");
    } finally {
      await stack.close();
    }
    await expect(fetch(`${stack.url}/api/health`)).rejects.toThrow();
  });
});
