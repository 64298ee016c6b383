import { describe, expect, it } from "vitest";
import { renderCatalogMarkdown } from "../../engine/catalog-docs/docs-markdown";
import type { DocumentedIntent } from "../../engine/catalog-docs/types";

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
