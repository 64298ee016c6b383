/** `intents docs` says what each intent acts on and who may ask for it under the deployment's policy. */
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as docsCommand from "../../engine/hosts/cli/commands/docs";
import { renderCatalogMarkdown } from "../../engine/tooling/docs/docs-markdown";
import type { DocumentedIntent } from "../../engine/tooling/docs/types";
import { DEMO_POLICY_PATH } from "../../sandbox";
import { captured } from "../support/capture-output";

afterEach(() => vi.unstubAllEnvs());

function section(markdown: string, name: string): string {
  const start = markdown.indexOf(`## ${name}\n`);
  return markdown.slice(start, markdown.indexOf("\n## ", start + 1));
}

describe("intents docs and requester policy", () => {
  it("renders the target field and the rule with where it is written", () => {
    const intent: DocumentedIntent = {
      name: "Probe", aliases: [], description: "d", risk: "reversible", file: "intents/probe.yaml",
      permissions: { graph: [], entraRoles: [], exchangeRoles: [] },
      fields: [{ variable: "userEmail", label: "User Email", type: "string", required: true }],
      target: "userEmail",
      requesters: { rule: "the target themself; otherwise refused", source: "policy.yaml rules.reversible" },
    };
    const md = renderCatalogMarkdown([intent, { ...intent, name: "Nobody", target: undefined, requesters: undefined }]);
    expect(section(md, "Probe")).toContain("- Acts on: the user in **User Email**\n- Who may ask: the target themself; otherwise refused (`policy.yaml rules.reversible`)");
    expect(section(md, "Nobody")).toContain("- Acts on: no user (so self and manager entries cannot match)");
    expect(section(md, "Nobody")).not.toContain("Who may ask");
  });

  it("shows each shipped intent's rule: built in, the intent's own, or the policy file's", async () => {
    const builtIn = await captured(() => docsCommand.run([]));
    expect(section(builtIn.out, "Delete User")).toContain("- Who may ask: nobody; otherwise approval (`built-in rules.destructive`)");
    expect(section(builtIn.out, "Update Manager")).toContain('- Who may ask: anyone above the target in the manager chain; otherwise approval (`intent "Update Manager" policy`)');
    expect(section(builtIn.out, "New User Creation")).toContain("- Acts on: no user");
    vi.stubEnv("POLICY_FILE", DEMO_POLICY_PATH);
    const demo = await captured(() => docsCommand.run(["--dir", join(__dirname, "..", "..", "intents")]));
    expect(section(demo.out, "Update Manager")).toContain('members of Service Desk (ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2); otherwise approval (`demo-policy.yaml intents["Update Manager"]`)');
    expect(section(demo.out, "Shared Mailbox Permission")).toContain("- Acts on: the user in **Shared Mailbox Email**");
  });
});
