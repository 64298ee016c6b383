/**
 * Each intent's declared Graph permissions are enough: its happy path runs against a sandbox
 * tenant that grants the app exactly those (a call needing more answers 403), and one less fails.
 */
import { describe, expect, it } from "vitest";
import { runCase, selectCaseFiles } from "../../engine/tooling/cases";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const selected = selectCaseFiles(loadCatalog(builtinKindSpecs())).filter((s) => s.intent.permissions.graph.length > 0);

describe("declared Graph permissions", () => {
  it.each(selected.map((s) => [s.intent.name, s] as const))("%s: its happy path needs no more than it declares", async (_name, { intent, cases }) => {
    const happy = cases.cases[0]!;
    // An intent that declares Exchange roles gets Exchange.ManageAsApp with them (the admin API's app role).
    const exchange = intent.permissions.exchangeRoles.length > 0 ? ["Exchange.ManageAsApp"] : [];
    const { outcome } = await runCase(intent, { ...happy, fixture: { ...happy.fixture, permissions: [...intent.permissions.graph, ...exchange] } });
    expect(outcome.problems).toEqual([]);
  });

  it("a tenant granting less makes the happy path fail (the check is real)", async () => {
    const { intent, cases } = selected.find((s) => s.intent.name === "Add User to Group")!;
    const happy = cases.cases[0]!;
    const { outcome } = await runCase(intent, { ...happy, fixture: { permissions: ["User.Read.All"] } });
    expect(outcome.passed).toBe(false);
  });
});
