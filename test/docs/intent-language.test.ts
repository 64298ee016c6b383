/** docs/intent-language.md states what the engine does: its helper reference is generated from the helper definitions. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderHelpersMarkdown } from "../../engine/tooling/docs/helpers-markdown";
import { renderLibraryMarkdown, sharedLibrary } from "../../engine/tooling/docs/library-markdown";
import { builtinKindSpecs } from "../../engine/kinds";
import { HELPER_DEFINITIONS } from "../../engine/language/expression";
import demoTenant from "../../sandbox/fixtures/demo-tenant.json";

const doc = readFileSync(join(__dirname, "../../docs/intent-language.md"), "utf8");

describe("docs/intent-language.md", () => {
  it("lists exactly the helpers `intents docs --helpers` prints, between its markers", () => {
    const section = doc.split("<!-- helpers:begin -->\n")[1]?.split("<!-- helpers:end -->")[0];
    expect(section, "the helper section (paste `npx intents docs --helpers` between the markers)").toBe(renderHelpersMarkdown());
  });

  it("lists exactly what the shipped libraries define, as `intents docs --library` prints it", () => {
    const section = doc.split("<!-- library:begin -->\n")[1]?.split("<!-- library:end -->")[0];
    const shared = sharedLibrary(builtinKindSpecs());
    expect(section, "the library section (paste `npx intents docs --library` between the markers)").toBe(renderLibraryMarkdown(shared));
    // Every name a library defines is in it, with its inputs.
    for (const fragment of [...shared.library.requests.values(), ...shared.library.steps.values(), ...shared.library.outcomes.values()]) {
      expect(section, fragment.name).toContain(`- \`${fragment.name}\` (`);
      for (const input of Object.keys(fragment.inputs)) expect(section, `${fragment.name}.${input}`).toContain(`\`${input}\` (`);
    }
  });

  it("documents every helper with its signature, semantics and an example", () => {
    for (const helper of HELPER_DEFINITIONS) {
      expect(helper.summary.length, helper.name).toBeGreaterThan(10);
      expect(helper.semantics.length, helper.name).toBeGreaterThan(5);
      expect(helper.example.template, helper.name).toContain(helper.name);
    }
  });

  it("says who manages whom and who is in the Service Desk group as the demo tenant has it", () => {
    const whoAsks = doc.slice(doc.indexOf("**Who asks.**"), doc.indexOf("A failed case prints"));
    const users = demoTenant.users as Array<{ id: string; userPrincipalName: string; managerId?: string }>;
    const idOf = (upn: string) => users.find((user) => user.userPrincipalName === upn)?.id;
    const managed = [...whoAsks.replace(/\s+/g, " ").matchAll(/(\S+@contoso\.com) manages (\S+@contoso\.com)/g)];
    expect(managed.length).toBeGreaterThanOrEqual(2);
    for (const [, manager, report] of managed) expect(users.find((user) => user.userPrincipalName === report)?.managerId, `${manager} manages ${report}`).toBe(idOf(manager!));
    const desk = (demoTenant.groups as Array<{ displayName: string; members?: string[] }>).find((group) => group.displayName === "Service Desk");
    const member = /(\S+@contoso\.com) is in the\s+Service Desk group/.exec(whoAsks)?.[1];
    expect(desk?.members).toContain(idOf(member ?? ""));
  });
});
