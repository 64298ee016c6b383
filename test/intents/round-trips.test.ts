/**
 * Dependent round trips per intent, measured from the sandbox request log on each intent's
 * happy-path case (its first case), next to the seed's sequence (reference Appendix B). The README
 * "Round trips" table is this table; when an intent changes, this test says by how much.
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles } from "../../engine/cases";
import { loadCatalog } from "../../engine/index";

/** Graph round trips of our happy path, and of the seed for the same request. */
const TABLE: Record<string, { ours: number; seed: number }> = {
  "Password Reset": { ours: 2, seed: 2 }, // PATCH + the delivery mail (the seed lost the password: GET + PATCH)
  "Add User to Group": { ours: 2, seed: 4 },
  "Remove User from Group": { ours: 2, seed: 4 },
  "License Assignment": { ours: 3, seed: 4 }, // + the usageLocation PATCH the seed never sent (its assign failed)
  "MFA Reset": { ours: 5, seed: 5 }, // 3 methods, default last, + revoke (the seed: 3 DELETEs, no revoke, default fails)
  "New User Creation": { ours: 6, seed: 7 }, // licence + 2 groups + the delivery mail
  "User Offboarding": { ours: 5, seed: 5 }, // every option on, + group removal the seed never did; ARM jobs counted apart
  "Shared Mailbox Permission": { ours: 0, seed: 1 }, // runbook only; the seed read the user first
};

describe("dependent Graph round trips per intent (happy path)", () => {
  const selected = selectCaseFiles(loadCatalog());
  it.each(selected.map((s) => [s.intent.name, s] as const))("%s", async (name, { intent, cases }) => {
    const { outcome, trace } = await runCase(intent, cases.cases[0]!);
    expect(outcome.problems).toEqual([]);
    expect(trace.roundTrips.graph).toBe(TABLE[name]?.ours);
  });
});
