/**
 * Dependent round trips per intent, measured from the sandbox request log on the intents' own
 * cases, next to the seed's sequence for the same request (reference Appendix B). The README
 * "Round trips" table is this table; when an intent changes, this test says by how much.
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles } from "../../engine/tooling/cases";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

/**
 * [intent, case name prefix, our Graph round trips, our runbook jobs, our Exchange admin API round
 * trips, the seed's Graph round trips]. Requester policy's reads ride in the intent's first `$batch`
 * when its first step is a read; an intent that starts with a write pays one round trip for them
 * (the decision precedes any write), an Exchange intent included, unless a delivery after the
 * write rides in the write's `$batch` (Password Reset).
 */
const TABLE: Array<[string, string, number, number, number, number]> = [
  ["Password Reset", "happy path", 2, 0, 0, 2], // policy $batch, then one $batch: the PATCH and the delivery mail depending on it; the seed lost the password
  ["Add User to Group", "happy path", 2, 0, 0, 4],
  ["Remove User from Group", "happy path", 2, 0, 0, 4],
  ["License Assignment", "happy path", 3, 0, 0, 4], // + the usageLocation PATCH the seed never sent
  ["License Assignment", "already assigned", 2, 0, 0, 4],
  ["MFA Reset", "happy path", 5, 0, 0, 5], // default method last, + revoke (the seed's default DELETE failed)
  ["MFA Reset", "Windows Hello alone", 3, 0, 0, 2], // the seed could not delete Windows Hello at all
  ["New User Creation", "happy path", 6, 0, 0, 7], // licence + 2 groups + the delivery mail
  // Every option on: 16 options (the seed had 4), each its own step. The Exchange calls are mostly
  // the leaver's rights on the 9 other mailboxes (4 kinds each, 5 in flight at a time).
  ["User Offboarding", "every option on", 13, 0, 47, 5], // + Get-Mailbox: the forwarding its undo restores
  ["User Offboarding", "with EXCHANGE_MODE runbook, every option on", 13, 8, 0, 5], // the same on runbooks: one job per Exchange option
  ["User Offboarding", "with this deployment's defaults", 13, 0, 8, 2], // the seed's defaults only disabled and revoked
  ["Shared Mailbox Permission", "happy path", 1, 0, 1, 1], // policy $batch, then the cmdlet
  ["Shared Mailbox Permission", "with EXCHANGE_MODE runbook the", 1, 1, 0, 1], // policy $batch, then the runbook job
  ["Convert to Shared Mailbox", "happy path", 1, 0, 1, 0], // the seed had no such intent
  ["Hide from Address Book", "happy path", 1, 0, 1, 0],
  ["Set Mail Forwarding", "happy path", 1, 0, 1, 0],
  ["Remove Mail Forwarding", "happy path", 1, 0, 1, 0],
];

const selected = selectCaseFiles(loadCatalog(builtinKindSpecs()));

describe("dependent round trips per intent", () => {
  it.each(TABLE)("%s › %s: %i Graph round trips, %i runbook jobs, %i Exchange calls (seed: %i)", async (intentName, casePrefix, graph, jobs, exchange) => {
    const entry = selected.find((s) => s.intent.name === intentName)!;
    const c = entry.cases.cases.find((x) => x.name.startsWith(casePrefix))!;
    const { outcome, trace } = await runCase(entry.intent, c);
    expect(outcome.problems).toEqual([]);
    expect(trace.roundTrips.graph).toBe(graph);
    expect(trace.roundTrips.exchange).toBe(exchange);
    // A job is one create (PUT); its polls and output read follow it.
    expect(trace.requests.filter((r) => r.method === "PUT" && r.path.startsWith("/automation/jobs/") && r.status !== 429).length).toBe(jobs);
  });
});
