import { describe, expect, it } from "vitest";
import { loadCatalog, loadIntentText, mapFields, type CompiledIntent } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";

const reset = loadCatalog(builtinKindSpecs()).find("Password Reset") as CompiledIntent;
const typed = loadIntentText("typed.yaml", `apiVersion: intents/v1
kind: Intent
name: Typed
description: d
risk: read
permissions: { graph: [] }
fields:
  action: { label: Action, type: string, enum: [assign, remove], default: assign }
  groups: { label: Group Memberships, type: array }
  count: { label: Count, type: integer }
  enabled: { label: Enabled, type: boolean, required: true }
validation:
  properties:
    count: { maximum: 10 }
steps:
  - { id: a, kind: "secret:generate" }
result: { messages: { succeeded: s, failed: f } }
`, { kinds: builtinKindSpecs() }).intent as CompiledIntent;

describe("mapFields", () => {
  it("matches labels ignoring case and spacing, applies defaults and coerces yes/no", () => {
    const mapped = mapFields(reset, { "  USER   email ": " jane@contoso.com ", "force change on login": "N" });
    expect(mapped).toMatchObject({ ok: true, fields: { userEmail: "jane@contoso.com", tempPassword: null, forceChange: false } });
    const defaulted = mapFields(reset, { "User Email": "jane@contoso.com" });
    expect(defaulted.ok && defaulted.fields.forceChange).toBe(true);
  });

  it("gives a stable identity without secrets, and lists secret values for redaction", () => {
    const a = mapFields(reset, { "User Email": "jane@contoso.com", "Temporary Password": "S3cret!!x", "Force Change on Login": "yes" });
    const b = mapFields(reset, { "force change on login": true, "temporary password": "Other-1!aa", "user email": "jane@contoso.com" });
    if (!a.ok || !b.ok) throw new Error("mapping failed");
    expect(a.identity).toBe('{"forceChange":true,"userEmail":"jane@contoso.com"}');
    expect(b.identity).toBe(a.identity);
    expect(a.secretValues).toEqual(["S3cret!!x"]);
  });

  it("refuses a secret field shorter than 8 characters with a message that does not hold it", () => {
    const mapped = mapFields(reset, { "User Email": "jane@contoso.com", "Temporary Password": " Ab1!xyz " });
    expect(mapped).toEqual({ ok: false, errors: [{ field: "tempPassword", label: "Temporary Password", message: "Temporary Password must be at least 8 characters" }] });
    const eight = mapFields(reset, { "User Email": "jane@contoso.com", "Temporary Password": "Ab1!xyzw" });
    expect(eight.ok && eight.secretValues).toEqual(["Ab1!xyzw"]);
  });

  it("lints a secret field that is not text, or that has a default written in the intent", () => {
    const text = (field: string) => `apiVersion: intents/v1
kind: Intent
name: Secret Field
description: d
risk: read
permissions: { graph: [] }
fields:
  pin: ${field}
steps:
  - { id: a, kind: "secret:generate" }
result: { messages: { succeeded: s, failed: f } }
`;
    const numeric = loadIntentText("numeric.yaml", text("{ label: PIN, type: integer, secret: true }"), { kinds: builtinKindSpecs() }).diagnostics;
    expect(numeric).toEqual([expect.objectContaining({ code: "SPEC_SECRET_NOT_ALLOWED", line: 8, col: 45, message: 'only a text field can be secret; "pin" is integer' })]);
    const defaulted = loadIntentText("defaulted.yaml", text("{ label: PIN, type: string, secret: true, default: Hunter2-secret }"), { kinds: builtinKindSpecs() }).diagnostics;
    expect(defaulted).toEqual([expect.objectContaining({ code: "SPEC_SECRET_NOT_ALLOWED", line: 8, col: 59, message: expect.stringMatching(/may not have a default/) })]);
  });

  it("canonicalises enums, splits arrays, parses numbers and applies the validation schema", () => {
    const mapped = mapFields(typed, { action: "REMOVE", "group memberships": "Sales, ,Marketing ", count: "3", enabled: "TRUE" });
    expect(mapped).toEqual(expect.objectContaining({ ok: true, fields: { action: "remove", groups: ["Sales", "Marketing"], count: 3, enabled: true } }));
  });

  it("reports every field error at once", () => {
    const mapped = mapFields(typed, { action: "delete", count: "2.5", enabled: "maybe" });
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.errors).toEqual([
      { field: "action", label: "Action", message: "Action must be one of: assign, remove" },
      { field: "count", label: "Count", message: "Count must be a whole number" },
      { field: "enabled", label: "Enabled", message: "Enabled must be Yes or No" },
    ]);
    const missing = mapFields(reset, {});
    expect(missing).toEqual({ ok: false, errors: [{ field: "userEmail", label: "User Email", message: "User Email is required" }] });
    const tooMany = mapFields(typed, { count: 11, enabled: "yes" });
    expect(tooMany.ok ? [] : tooMany.errors.map((e) => e.field)).toEqual(["count"]);
    const badEmail = mapFields(reset, { "User Email": "not an email" });
    expect(badEmail.ok ? [] : badEmail.errors.map((e) => e.message)).toEqual(["User Email must be a valid email"]);
  });
});
