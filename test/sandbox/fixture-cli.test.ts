import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH } from "../../sandbox";
import { tenantFromFile } from "../../sandbox/tenant/load";

describe("demo tenant fixture", () => {
  const tenant = tenantFromFile(DEMO_FIXTURE_PATH);
  const userIds = new Set(tenant.users.map((u) => u.id));
  const objectIds = new Set([...userIds, ...tenant.groups.map((g) => g.id)]);

  it("only refers to objects that exist", () => {
    for (const user of tenant.users) if (user.managerId) expect(userIds).toContain(user.managerId);
    for (const group of tenant.groups) for (const member of group.members) expect(objectIds).toContain(member);
    for (const role of tenant.directoryRoles) for (const member of role.members) expect(objectIds).toContain(member);
    for (const user of tenant.users) {
      if (user.defaultAuthenticationMethodId) expect(user.authenticationMethods.map((m) => m.id)).toContain(user.defaultAuthenticationMethodId);
    }
  });

  it("has what the intents and tests need: a guest, a shared mailbox, a user without usageLocation, every group kind, full and free SKUs", () => {
    expect(tenant.users.some((u) => u.userType === "Guest" && u.userPrincipalName.includes("#EXT#"))).toBe(true);
    expect(tenant.users.some((u) => u.mailbox?.type === "SharedMailbox")).toBe(true);
    expect(tenant.users.some((u) => !u.usageLocation && u.userType === "Member")).toBe(true);
    const kinds = tenant.groups.map((g) => (g.groupTypes.includes("DynamicMembership") ? "dynamic" : g.onPremisesSyncEnabled ? "synced" : g.groupTypes.includes("Unified") ? "m365" : g.mailEnabled ? (g.securityEnabled ? "mail-security" : "distribution") : "security"));
    expect(new Set(kinds)).toEqual(new Set(["dynamic", "synced", "m365", "mail-security", "distribution", "security"]));
    const names = tenant.groups.map((g) => g.displayName);
    expect(names.length - new Set(names).size).toBeGreaterThan(0);
    expect(names.some((n) => n.includes("'"))).toBe(true);
    const free = tenant.skus.map((s) => s.prepaidUnits.enabled - tenant.users.filter((u) => u.assignedLicenses.some((l) => l.skuId === s.skuId)).length);
    expect(free.some((n) => n > 0)).toBe(true);
    expect(free.some((n) => n <= 0)).toBe(true);
  });

  it("has what requester policy is tested with: manager chains, role holders (direct and through a group), a disabled user, nested groups", () => {
    const byId = new Map(tenant.users.map((u) => [u.id, u]));
    const chainOf = (upn: string) => {
      const chain: string[] = [];
      for (let u = tenant.users.find((x) => x.userPrincipalName === upn); u?.managerId; u = byId.get(u.managerId)) chain.push(u.managerId);
      return chain;
    };
    expect(chainOf("adele.vance@contoso.com").length).toBeGreaterThanOrEqual(2);
    const globalAdmins = tenant.directoryRoles.find((r) => r.roleTemplateId === "62e90394-69f5-4237-9190-012177145e10")?.members ?? [];
    expect(globalAdmins.some((id) => byId.get(id)?.userPrincipalName.startsWith("breakglass@"))).toBe(true);
    const groupIds = new Set(tenant.groups.map((g) => g.id));
    expect(tenant.directoryRoles.some((r) => r.members.some((m) => groupIds.has(m)))).toBe(true);
    expect(tenant.groups.some((g) => g.members.some((m) => groupIds.has(m)))).toBe(true);
    expect(tenant.users.some((u) => !u.accountEnabled && u.userType === "Member" && u.mailbox?.type !== "SharedMailbox")).toBe(true);
  });
});

describe("intents sandbox", () => {
  it("serves the demo tenant until SIGTERM and exits 0", async () => {
    const child = spawn(process.execPath, [join(__dirname, "../../bin/intents.cjs"), "sandbox", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Graph (http:\/\/\S+?)\/v1\.0/.exec(out);
          if (match) resolve(match[1] as string);
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}`)));
      });
      const response = await fetch(`${url}/v1.0/users/adele.vance@contoso.com`, { headers: { authorization: "Bearer x" } });
      expect(response.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a bad --port with exit code 2", async () => {
    const child = spawn(process.execPath, [join(__dirname, "../../bin/intents.cjs"), "sandbox", "--port", "http"], { stdio: "ignore" });
    expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(2);
  });
});
