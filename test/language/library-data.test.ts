/**
 * Data kept in a library (`constants:`): an intent takes it by name as one of its constants, and a
 * field's default may be one value of it, read once at load. A wrong name, a missing key or a value
 * of the wrong type is reported where the intent uses it, naming the library's line.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintPaths, loadCatalog, mapFields } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const DATA = `apiVersion: intents/v1
kind: Library
description: what this MSP chose
constants:
  choices:
    convertMailbox: true
    removeLicenses: false
    delegateLabel: Manager
  departmentGroups:
    Marketing: [04075811-bc0f-5730-bbd5-3fc23d798f66]
    Sales: []
`;

function intent(fields: string, constants: string): string {
  return `apiVersion: intents/v1
kind: Intent
name: Uses Data
description: test
risk: read
permissions: { graph: [User.Read.All] }
fields:
  userEmail: { label: User Email, type: string, required: true }
${fields}
constants:
${constants}
steps:
  - id: read
    kind: graph:request
    with: { method: GET, path: "/users/{upn}", params: { upn: "{{fields.userEmail}}" } }
result:
  messages: { succeeded: "{{constants.groups.Marketing | join ', '}}", failed: failed }
`;
}

function folder(text: string, data = DATA): string {
  const dir = mkdtempSync(join(tmpdir(), "library-data-"));
  mkdirSync(join(dir, "shared"));
  writeFileSync(join(dir, "shared", "choices.yaml"), data);
  writeFileSync(join(dir, "uses.yaml"), text);
  return dir;
}

function lint(text: string, data = DATA): string[] {
  return lintPaths([folder(text, data)], builtinKindSpecs()).diagnostics.map((d) => `${d.file.split("/").pop()}:${d.line}:${d.col} ${d.code} ${d.message}`);
}

const FIELDS = `  convert: { label: Convert, type: boolean, default: "{{constants.choices.convertMailbox}}" }
  licences: { label: Licences, type: boolean, default: "{{constants.choices.removeLicenses}}" }`;
const TAKES = `  choices: { use: choices }
  groups: { use: departmentGroups }`;

describe("library data", () => {
  it("an intent takes named data as its constants, and field defaults read it once at load", () => {
    const dir = folder(intent(FIELDS, TAKES));
    expect(lint(intent(FIELDS, TAKES))).toEqual([]);
    const [compiled] = loadCatalog(builtinKindSpecs(), dir).intents;
    expect(compiled!.fields.map((f) => [f.variable, f.default])).toEqual([["userEmail", undefined], ["convert", true], ["licences", false]]);
    expect(compiled!.plan.constants).toEqual({ choices: { convertMailbox: true, removeLicenses: false, delegateLabel: "Manager" }, groups: { Marketing: ["04075811-bc0f-5730-bbd5-3fc23d798f66"], Sales: [] } });
    const mapped = mapFields(compiled!, { "User Email": "a@contoso.com", Licences: "yes" });
    expect(mapped).toMatchObject({ ok: true, fields: { convert: true, licences: true } });
  });

  it("changing the data changes the defaults, with no change to the intent", () => {
    const dir = folder(intent(FIELDS, TAKES), DATA.replace("convertMailbox: true", "convertMailbox: false"));
    const [compiled] = loadCatalog(builtinKindSpecs(), dir).intents;
    expect(compiled!.fields.find((f) => f.variable === "convert")!.default).toBe(false);
  });

  it("an unknown library constant is reported at the use, with a did-you-mean", () => {
    expect(lint(intent(FIELDS, `  choices: { use: choice }\n  groups: { use: departmentGroups }`))).toEqual(['uses.yaml:12:19 SPEC_UNKNOWN_FRAGMENT no library constant is named "choice"; did you mean choices?']);
  });

  it("a default naming a key the data lacks, or a value of the wrong type, is reported at the default", () => {
    const missing = lint(intent(`  convert: { label: Convert, type: boolean, default: "{{constants.choices.convert}}" }`, TAKES));
    expect(missing).toEqual(['uses.yaml:9:54 SPEC_UNKNOWN_REFERENCE "constants.choices.convert" does not exist; there: convertMailbox, removeLicenses, delegateLabel']);
    const wrongType = lint(intent(`  convert: { label: Convert, type: boolean, default: "{{constants.choices.delegateLabel}}" }`, TAKES));
    expect(wrongType.join("\n")).toMatch(/SPEC_FIELD_DEFAULT the default of "convert" must be true or false, not the text "Manager"/);
  });

  it("a default may not read anything but constants", () => {
    const reads = lint(intent(`  convert: { label: Convert, type: boolean, default: "{{settings.CONVERT}}" }`, TAKES));
    expect(reads.join("\n")).toMatch(/SPEC_FIELD_DEFAULT a default is a value, or one \{\{constants\.NAME\.key\}\}/);
  });

  it("data defined twice is reported at the second definition; data with a `use` key among others is plain data", () => {
    const dir = folder(intent(FIELDS, `${TAKES}\n  literal: { use: choices, note: mine }`));
    writeFileSync(join(dir, "shared", "again.yaml"), DATA);
    const diagnostics = lintPaths([dir], builtinKindSpecs()).diagnostics.map((d) => `${d.file.split("/").pop()}:${d.line} ${d.code}`);
    expect(diagnostics).toEqual(["choices.yaml:5 SPEC_DUPLICATE_FRAGMENT", "choices.yaml:9 SPEC_DUPLICATE_FRAGMENT"]);
    writeFileSync(join(dir, "shared", "again.yaml"), "apiVersion: intents/v1\nkind: Library\ndescription: none\n");
    expect(loadCatalog(builtinKindSpecs(), dir).intents[0]!.plan.constants).toMatchObject({ literal: { use: "choices", note: "mine" } });
  });
});
