/** One broken intent per diagnostic code, each located at its exact line and column. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, lintPaths } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const dir = join(__dirname, "..", "fixtures", "broken-intents");

const expected: Record<string, { code: string; line: number; col: number; message: RegExp }> = {
  "yaml-syntax.yaml": { code: "SPEC_YAML_SYNTAX", line: 6, col: 1, message: /Map keys must be unique/ },
  "schema.yaml": { code: "SPEC_SCHEMA", line: 12, col: 5, message: /unknown key "retries" in steps\.0; allowed: id, kind, .*continueOnError/ },
  "api-version.yaml": { code: "SPEC_API_VERSION", line: 1, col: 13, message: /"intents\/v9" is not supported/ },
  "duplicate-step-id.yaml": { code: "SPEC_DUPLICATE_STEP_ID", line: 13, col: 9, message: /"read" is used twice/ },
  "duplicate-field-label.yaml": { code: "SPEC_DUPLICATE_FIELD_LABEL", line: 9, col: 18, message: /"userEmail" and "mail"/ },
  "duplicate-intent-name.yaml": { code: "SPEC_DUPLICATE_INTENT_NAME", line: 4, col: 23, message: /repeats the intent's name/ },
  "unknown-step-kind.yaml": { code: "SPEC_UNKNOWN_STEP_KIND", line: 11, col: 11, message: /"graph:fetch"; registered: automation:runbook, graph:batch/ },
  "step-input.yaml": { code: "SPEC_STEP_INPUT", line: 14, col: 13, message: /path must be a literal/ },
  "template-syntax.yaml": { code: "SPEC_TEMPLATE_SYNTAX", line: 16, col: 15, message: /does not parse: \{\{ is not closed with \}\}/ },
  "unknown-helper.yaml": { code: "SPEC_UNKNOWN_HELPER", line: 16, col: 17, message: /unknown helper "shell"/ },
  "unknown-reference.yaml": { code: "SPEC_UNKNOWN_REFERENCE", line: 16, col: 17, message: /no field "userMail"; declared: userEmail/ },
  "forward-reference.yaml": { code: "SPEC_FORWARD_REFERENCE", line: 12, col: 17, message: /step "later" does not run before this point/ },
  "secret-not-allowed.yaml": { code: "SPEC_SECRET_NOT_ALLOWED", line: 17, col: 34, message: /"fields.password" is a secret/ },
  "odata-literal.yaml": { code: "SPEC_ODATA_LITERAL", line: 16, col: 28, message: /must go through the odata helper/ },
  "url-slot.yaml": { code: "SPEC_URL_SLOT", line: 16, col: 23, message: /must start with https:\/\/graph\.microsoft\.com\/v1\.0\/, written out/ },
};

describe("broken intents", () => {
  it("has exactly one fixture per expected diagnostic", () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
    for (const { code } of Object.values(expected)) expect(ERROR_CODES).toHaveProperty(code);
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file} → ${want.code} at ${want.line}:${want.col}`, () => {
      const { diagnostics, files } = lintPaths([join(dir, file)], builtinKindSpecs());
      expect(files).toBe(1);
      expect(diagnostics.map((d) => d.code)).toContain(want.code);
      const found = diagnostics.find((d) => d.code === want.code);
      expect(found).toMatchObject({ line: want.line, col: want.col });
      expect(found?.message).toMatch(want.message);
    });
  }

  it("reports every problem of a file at once", () => {
    const text = readFileSync(join(dir, "unknown-reference.yaml"), "utf8")
      .replace("kind: graph:request", "kind: graph:request\n    when: \"{{steps.nope.status}}\"")
      .replace("{{fields.userMail}}", "{{fields.userMail}} {{settings.UNDECLARED}}");
    const tmp = mkdtempSync(join(tmpdir(), "lint-"));
    writeFileSync(join(tmp, "many.yaml"), text);
    const codes = lintPaths([tmp], builtinKindSpecs()).diagnostics.map((d) => `${d.code}@${d.line}`);
    expect(codes).toEqual(["SPEC_UNKNOWN_REFERENCE@12", "SPEC_UNKNOWN_REFERENCE@17", "SPEC_UNKNOWN_REFERENCE@17"]);
  });

  it("reports a name claimed by two files at the second file's name", () => {
    const tmp = mkdtempSync(join(tmpdir(), "lint-"));
    const intent = readFileSync(join(__dirname, "..", "..", "intents", "add-user-to-group.yaml"), "utf8").replace(/\ncases: .*\n/, "\n");
    cpSync(join(__dirname, "..", "..", "intents", "shared"), join(tmp, "shared"), { recursive: true });
    writeFileSync(join(tmp, "a.yaml"), intent);
    writeFileSync(join(tmp, "b.yaml"), intent.replace("name: Add User to Group", "name: add  USER to group"));
    const [diagnostic, ...rest] = lintPaths([tmp], builtinKindSpecs()).diagnostics;
    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({ code: "SPEC_DUPLICATE_INTENT_NAME", line: 4, col: 7 });
    expect(diagnostic?.file).toMatch(/b\.yaml$/);
  });
});
