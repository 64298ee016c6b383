/**
 * One intent, two routes: every case of every shipped Exchange intent, run once on the Exchange
 * admin API and once on runbooks (EXCHANGE_MODE), over real HTTP against the sandbox, must leave
 * the tenant's mailboxes, group members and accounts in the same state.
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles, type CaseTrace } from "../../engine/tooling/cases";
import type { IntentCase } from "../../engine/tooling/cases/types";
import { builtinKindSpecs } from "../../engine/kinds";
import { loadCatalog } from "../../engine/index";
import type { TenantState } from "../../sandbox";

const exchangeIntents = selectCaseFiles(loadCatalog(builtinKindSpecs())).filter((entry) => entry.intent.settings.includes("EXCHANGE_MODE"));

/** What Exchange work (and the Graph steps around it) may change. */
function mailboxState(tenant: TenantState | undefined): unknown {
  return {
    users: (tenant?.users ?? []).map((u) => ({ upn: u.userPrincipalName, enabled: u.accountEnabled, licences: u.assignedLicenses, mailbox: u.mailbox ?? null })),
    groups: (tenant?.groups ?? []).map((g) => ({ id: g.id, members: [...g.members].sort() })),
  };
}

async function onRoute(entry: (typeof exchangeIntents)[number], c: IntentCase, route: "api" | "runbook"): Promise<CaseTrace> {
  // The case's fields and tenant, none of its faults or expectations: only the end state counts here.
  const { faults: _faults, ...rest } = c;
  const { trace } = await runCase(entry.intent, { ...rest, settings: { ...c.settings, EXCHANGE_MODE: route }, expect: {} });
  return trace;
}

describe("Exchange intents end in the same mailbox state on both routes", () => {
  it("covers every shipped Exchange intent", () => {
    expect(exchangeIntents.map((e) => e.intent.name).sort()).toEqual([
      "Convert to Shared Mailbox", "Hide from Address Book", "Remove Mail Forwarding", "Set Mail Forwarding", "Shared Mailbox Permission", "User Offboarding",
    ]);
  });

  // A case whose tenant withholds Exchange.ManageAsApp refuses the admin API on purpose: the
  // runbooks (the Automation account's own identity) never needed it, so the routes differ there.
  const deniesAdminApi = (c: IntentCase): boolean => c.fixture?.permissions !== undefined && !c.fixture.permissions.includes("Exchange.ManageAsApp");
  const runnable = exchangeIntents.flatMap((entry) =>
    entry.cases.cases.filter((c) => !c.expect.fieldErrors && !deniesAdminApi(c)).map((c) => [entry.intent.name, c.name, entry, c] as const),
  );
  it.each(runnable)("%s › %s", async (_intent, _case, entry, c) => {
    const [api, runbook] = [await onRoute(entry, c, "api"), await onRoute(entry, c, "runbook")];
    expect(api.result?.status).toBe(runbook.result?.status);
    expect(mailboxState(api.tenant)).toEqual(mailboxState(runbook.tenant));
    // Each route did its own work: the admin API sent no job, the runbook route no cmdlet.
    expect(api.requests.some((r) => r.path.startsWith("/automation/"))).toBe(false);
    expect(runbook.requests.some((r) => r.path.startsWith("/exchange/"))).toBe(false);
  });
});
