import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as docsCommand from "../../engine/hosts/cli/commands/docs";
import { captured } from "../support/capture-output";
import { renderCatalogMarkdown } from "../../engine/tooling/docs/docs-markdown";
import type { DocumentedIntent } from "../../engine/tooling/docs/types";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const passwordReset: DocumentedIntent = {
  name: "Password Reset",
  aliases: ["Reset Password"],
  description: "Resets a user's password.",
  risk: "reversible",
  permissions: { graph: ["User.ReadWrite.All"], entraRoles: ["Helpdesk Administrator"], exchangeRoles: [] },
  file: "intents/password-reset.yaml",
  fields: [
    { variable: "userEmail", label: "User Email", type: "string", required: true, format: "email" },
    { variable: "tempPassword", label: "Temporary Password", type: "string", required: false, secret: true },
    { variable: "forceChange", label: "Force Change on Login", type: "boolean", required: false, default: true },
    { variable: "action", label: "Action | Mode", type: "string", required: false, enum: ["assign", "remove"], default: "assign" },
  ],
};

describe("renderCatalogMarkdown", () => {
  const md = renderCatalogMarkdown([passwordReset]);
  const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Thread") && !l.startsWith("| Intent"));

  it("writes one table row per field with label, required, choices and default", () => {
    expect(rows).toContain("| User Email | yes | string |  |  | format: email | userEmail |");
    expect(rows).toContain("| Force Change on Login | no | boolean | Yes / No | Yes |  | forceChange |");
    expect(rows.some((r) => r.startsWith("| Action \\| Mode | no | string | assign / remove | assign |"))).toBe(true);
  });

  it("joins a field's description to its format without a stray full stop", () => {
    const handOver: DocumentedIntent = {
      ...passwordReset,
      fields: [
        { variable: "handOverTo", label: "Hand Over To", type: "string", required: false, format: "email", description: "Empty = the leaver's manager." },
        { variable: "note", label: "Note", type: "string", required: false, description: "Kept as written." },
      ],
    };
    const lines = renderCatalogMarkdown([handOver]).split("\n");
    expect(lines).toContain("| Hand Over To | no | string |  |  | Empty = the leaver's manager; format: email | handOverTo |");
    expect(lines).toContain("| Note | no | string |  |  | Kept as written. | note |");
  });

  it("marks secret fields and gives risk, names and permissions", () => {
    expect(rows.find((r) => r.startsWith("| Temporary Password"))).toContain("secret: never logged or stored");
    expect(md).toContain("- Risk: **reversible** (changes something that can be undone)");
    expect(md).toContain("`Password Reset`, `Reset Password`");
    expect(md).toContain("- Graph application permissions: `User.ReadWrite.All`");
    expect(md).toContain("- Entra roles: `Helpdesk Administrator`");
    expect(md).toContain("- Exchange roles: none");
  });

  it("lists intents alphabetically in the summary and in the sections", () => {
    const other: DocumentedIntent = { ...passwordReset, name: "Add User to Group", aliases: [], fields: [] };
    const both = renderCatalogMarkdown([passwordReset, other]);
    expect(both.indexOf("## Add User to Group")).toBeLessThan(both.indexOf("## Password Reset"));
    expect(both).toContain("| Add User to Group | reversible | 0 |");
    expect(both).toContain("This intent has no form fields.");
  });
});

describe("`intents docs` on the shipped intents", () => {
  const root = join(__dirname, "..", "..");
  interface DeclaredField { label: string; required?: boolean; enum?: string[]; default?: unknown; type: string }
  const declared = readdirSync(join(root, "intents"))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ file: f, ...(parse(readFileSync(join(root, "intents", f), "utf8")) as { name: string; risk: string; fields?: Record<string, DeclaredField> }) }));

  const catalog = loadCatalog(builtinKindSpecs());

  it("writes --out with every intent's fields, required flag, choices and risk, as the files declare them", () => {
    const out = join(mkdtempSync(join(tmpdir(), "docs-")), "catalogue.md");
    execFileSync(process.execPath, [join(root, "bin", "intents.cjs"), "docs", "--out", out], { stdio: "pipe" });
    const md = readFileSync(out, "utf8");
    expect(declared.length).toBeGreaterThan(0);
    for (const intent of declared) {
      const start = md.indexOf(`\n## ${intent.name}\n`);
      expect(start, intent.name).toBeGreaterThan(0);
      const next = md.indexOf("\n## ", start + 1);
      const section = md.slice(start, next < 0 ? undefined : next);
      expect(section).toContain(`- Risk: **${intent.risk}**`);
      expect(section).toContain(`\`intents/${intent.file}\``);
      for (const [variable, field] of Object.entries(intent.fields ?? {})) {
        const row = section.split("\n").find((l) => l.startsWith(`| ${field.label} |`));
        expect(row, `${intent.name}: ${field.label}`).toBeDefined();
        const cells = (row as string).split(" | ");
        expect(cells[1], `${field.label} required`).toBe(field.required ? "yes" : "no");
        expect(row).toContain(`| ${variable} |`);
        for (const choice of field.enum ?? []) expect(cells[3]).toContain(choice);
        // A default read from the deployment's data (`{{constants.…}}`) is shown as the data says.
        const fromData = typeof field.default === "string" && field.default.startsWith("{{");
        const shown = fromData ? catalog.intents.find((i) => i.name === intent.name)?.fields.find((f) => f.variable === variable)?.default : field.default;
        if (fromData) expect(shown, `${field.label} default from data`).toBeDefined();
        if (field.type === "boolean" && shown !== undefined) expect(cells[4]).toBe(shown ? "Yes" : "No");
      }
    }
  });

  it("prints to stdout without --out and answers a bad flag with exit code 2", async () => {
    const printed = await captured(() => docsCommand.run([]));
    expect(printed.code).toBe(0);
    for (const intent of declared) expect(printed.out).toContain(`## ${intent.name}`);
    const bad = await captured(() => docsCommand.run(["--outt", "x.md"]));
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining("usage: intents docs") });
  });
});

describe("intents docs --library", () => {
  it("lists what the libraries in shared/ of the folder define: inputs, the request sent, the codes an outcome set fails with", async () => {
    const dir = mkdtempSync(join(tmpdir(), "docs-library-"));
    mkdirSync(join(dir, "shared"));
    writeFileSync(
      join(dir, "shared", "mine.yaml"),
      `apiVersion: intents/v1
kind: Library
description: Our own lookups.
requests:
  deviceById:
    description: One managed device.
    inputs:
      id: { type: string, description: The device's id. }
    request: { method: GET, path: "/deviceManagement/managedDevices/{id}", params: { id: "{{inputs.id}}" } }
outcomes:
  deviceNotFound:
    inputs: { id: { type: string, required: false } }
    rules:
      - when: "{{response.status == 404}}"
        result: failed
        error: { code: DEVICE_NOT_FOUND, message: "No device {{inputs.id}}." }
`,
    );
    const printed = await captured(() => docsCommand.run(["--library", "--dir", dir]));
    expect(printed.code).toBe(0);
    expect(printed.out).toBe(
      [
        "#### `intents/shared/mine.yaml`",
        "",
        "Our own lookups.",
        "",
        "- `deviceById` (request, GET /deviceManagement/managedDevices/{id}): One managed device. Inputs: `id` (string): The device's id.",
        "- `deviceNotFound` (outcome set): Fails with `DEVICE_NOT_FOUND`. Inputs: `id` (string, optional).",
        "",
      ].join("\n"),
    );
  });
});
