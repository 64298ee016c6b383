/**
 * User Offboarding's safe order, read from what reached the sandbox when every option is on, on
 * both Exchange routes: nothing changes before sign-in is off and the sessions are revoked; the
 * mailbox is shared before any MFA method or licence goes (a mailbox without a licence is deleted
 * after 30 days), and the licences go last. The step table lists every option's step in that order.
 */
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { findCmdlet } from "../../engine/contracts/exchange-cmdlets";
import { runCase, selectCaseFiles } from "../../engine/tooling/cases";
import type { SentRequest } from "../../engine/tooling/cases/requests";

const [entry] = selectCaseFiles(loadCatalog(builtinKindSpecs()), ["User Offboarding"]);
const everyOption = entry!.cases.cases.find((c) => c.name.startsWith("every option on, in one run"))!;
const LEAVER = "/users/adele.vance@contoso.com";

interface Cmdlet { CmdletInput?: { CmdletName?: string; Parameters?: Record<string, unknown> } }
interface Job { properties?: { runbook?: { name?: string } }; runbook?: { name?: string } }

/** What a request changes, or undefined for a read (a GET, a read-only cmdlet, a job's poll). */
function change(request: SentRequest): string | undefined {
  if (request.method === "GET") return undefined;
  if (request.path === "/exchange/InvokeCommand") {
    const input = (request.body as Cmdlet).CmdletInput ?? {};
    if (findCmdlet(input.CmdletName ?? "")?.readOnly) return undefined;
    return input.CmdletName === "Set-Mailbox" && input.Parameters?.Type === "Shared" ? "convert" : `cmdlet ${input.CmdletName}`;
  }
  if (request.path.startsWith("/automation/")) {
    if (request.method !== "PUT") return undefined;
    const job = request.body as Job;
    const runbook = job.properties?.runbook?.name ?? job.runbook?.name;
    return runbook === "Convert-ToSharedMailbox" ? "convert" : `runbook ${runbook}`;
  }
  if (request.method === "PATCH" && request.path === LEAVER && (request.body as { accountEnabled?: boolean }).accountEnabled === false) return "disable";
  if (request.path === `${LEAVER}/revokeSignInSessions`) return "revoke";
  if (request.path === `${LEAVER}/assignLicense`) return "licences";
  if (request.method === "DELETE" && request.path.startsWith(`${LEAVER}/authentication/`)) return "mfa";
  return `${request.method} ${request.path}`;
}

describe("User Offboarding with every option on: the safe order", () => {
  it.each(["api", "runbook"] as const)("on the %s route", async (route) => {
    const { outcome, trace } = await runCase(entry!.intent, { ...everyOption, settings: { ...everyOption.settings, EXCHANGE_MODE: route } });
    expect(trace.result?.status).toBe("succeeded");
    if (route === "api") expect(outcome.problems).toEqual([]);

    const changes = trace.requests.map(change).filter((c): c is string => c !== undefined);
    // Sign-in off, then every session revoked, before any change the leaver could notice.
    expect(changes.slice(0, 2)).toEqual(["disable", "revoke"]);
    expect(changes.indexOf("disable")).toBe(changes.lastIndexOf("disable"));
    // Many changes in between (password, address book, groups, rules, devices, meetings, replies,
    // forwarding, handover, rights elsewhere): all after the two and before the conversion.
    const convert = changes.indexOf("convert");
    expect(convert).toBeGreaterThan(10);
    expect(changes.lastIndexOf("convert")).toBe(convert);
    // Shared before the MFA methods and the licences go; the licences last of all.
    const mfa = changes.flatMap((c, i) => (c === "mfa" ? [i] : []));
    expect(mfa.length).toBeGreaterThan(0);
    expect(Math.min(...mfa)).toBeGreaterThan(convert);
    expect(changes.at(-1)).toBe("licences");
    expect(changes.filter((c) => c === "licences")).toHaveLength(1);

    // The step table: the snapshot's reads first (what the undo restores from), then every
    // option's step, in the intent's order, none left out.
    expect(trace.result?.steps.map((s) => s.id)).toEqual([...entry!.intent.plan.snapshot, ...entry!.intent.plan.steps].map((s) => s.id));
  });
});
