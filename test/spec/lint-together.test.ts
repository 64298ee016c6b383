/**
 * Lint reports schema and semantic problems of one file together: a schema error (at the top, or
 * inside a step) never hides a wrong reference, a $select typo or another schema error.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintPaths } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const TEXT = `apiVersion: intents/v1
kind: Intent
name: Four Problems
description: A schema error at the top and in a step, beside two semantic ones.
risk: dangerous
permissions:
  graph: [User.Read.All]
fields:
  userEmail: { label: User Email, type: string, required: true, format: email }
steps:
  - id: read
    kind: graph:request
    retries: 3
    with:
      method: GET
      path: /users/{upn}
      params: { upn: "{{fields.userEmail}}" }
      query: { $select: "id,displayNme" }
result:
  messages: { succeeded: "{{fields.userMail}} was read.", failed: "failed: {{error.message}}" }
`;

describe("lint of a file with schema and semantic problems", () => {
  it("reports every one, each at its own line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "lint-together-"));
    const file = join(dir, "four.yaml");
    writeFileSync(file, TEXT);
    const found = lintPaths([file], builtinKindSpecs()).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
    expect(found).toEqual([
      "5:7 SPEC_SCHEMA risk must be one of: read, reversible, destructive",
      expect.stringMatching(/^13:5 SPEC_SCHEMA unknown key "retries" in steps\.0; allowed: id, kind, /),
      expect.stringMatching(/^18:29 SPEC_GRAPH_UNKNOWN_PROPERTY \$select names "displayNme", .*did you mean displayName\?$/),
      expect.stringMatching(/^20:29 SPEC_UNKNOWN_REFERENCE "fields\.userMail": no field "userMail"; declared: userEmail$/),
    ]);
  });
});
