/**
 * `intents new <name>`: a new intent and its cases, valid from the start (they lint clean and the
 * case passes), written to be edited: a user lookup from the shared library, a message, one case.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { IntentError } from "../core/errors";

/**
 * The JSON Schemas the engine ships (`<package>/schemas`, beside its package.json), from the sources
 * (engine/tooling) or a build (dist/engine/tooling): in an MSP's repository, node_modules/<engine>/schemas.
 */
export const SHIPPED_SCHEMAS_DIR = join(
  [join(__dirname, "..", ".."), join(__dirname, "..", "..", "..")].find((root) => existsSync(join(root, "package.json")) && existsSync(join(root, "schemas", "intent.schema.json"))) ?? join(__dirname, "..", ".."),
  "schemas",
);

/** The editor's schema line for a file written to `file`: a path relative to it, so it resolves in any checkout. */
function schemaLine(file: string, schema: string, schemasDir: string): string {
  return `# yaml-language-server: $schema=${relative(dirname(file), join(schemasDir, schema)).split(sep).join("/")}`;
}

/** `Set Job Title` → `set-job-title`. */
export function fileNameFor(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") throw new IntentError("SPEC_SCHEMA", `"${name}" gives no file name: use letters or digits.`);
  return slug;
}

function intentText(name: string, slug: string, schema: string): string {
  return `${schema}
apiVersion: intents/v1
kind: Intent
name: ${JSON.stringify(name)}
description: What ${name} does, in one or two sentences for the engineer who reviews it.
risk: read                           # read | reversible | destructive
target: fields.userEmail             # the user it acts on: requester policy decides who may ask
permissions:
  graph: [User.Read.All]             # lint says which permission each request needs

fields:
  userEmail: { label: User Email, type: string, required: true, format: email }

steps:
  # The user, through the shared lookup; a user who does not exist fails with USER_NOT_FOUND.
  - id: lookup
    kind: graph:request
    with: { use: userByEmail, inputs: { email: "{{fields.userEmail}}", select: "id,displayName" } }
    outputs:
      userId: "{{response.body.id}}"
      displayName: "{{response.body.displayName}}"
    outcomes:
      - { use: userNotFound, inputs: { email: "{{fields.userEmail}}" } }

  # Next: the write, e.g. a graph:request with \`when:\` so it runs only when something differs.
  # docs/intent-language.md has a walkthrough.

result:
  messages:
    succeeded: "{{steps.lookup.output.displayName}} ({{fields.userEmail}}) was found."
    failed: "${name.replace(/"/g, "'")} could not be completed for {{fields.userEmail}}: {{error.message}}"

cases: ./cases/${slug}.cases.yaml
`;
}

function casesText(name: string, schema: string): string {
  return `${schema}
intent: ${JSON.stringify(name)}
cases:
  - name: a known user is found
    fields: { User Email: adele.vance@contoso.com }
    expect:
      status: succeeded
      message: Adele Vance (adele.vance@contoso.com) was found.
      steps: { lookup: ok }
      requests: [GET /users/adele.vance@contoso.com]

  - name: an unknown user is USER_NOT_FOUND
    requester: megan.bowen@contoso.com   # the Service Desk may ask for anyone (the demo policy); the user asks for themself by default
    fields: { User Email: ghost@contoso.com }
    expect:
      status: failed
      error: { code: USER_NOT_FOUND }
`;
}

/**
 * Writes both files under `dir`; refuses to overwrite. Returns the paths written. Their schema
 * lines point at `schemasDir` (default: the engine's own), relative to each file.
 */
export function scaffoldIntent(name: string, dir: string, schemasDir = SHIPPED_SCHEMAS_DIR): { intent: string; cases: string } {
  const slug = fileNameFor(name);
  const intent = join(dir, `${slug}.yaml`);
  const cases = join(dir, "cases", `${slug}.cases.yaml`);
  for (const path of [intent, cases]) {
    if (existsSync(path)) throw new IntentError("SPEC_SCHEMA", `${path} already exists; choose another name or edit that file.`);
  }
  mkdirSync(join(dir, "cases"), { recursive: true });
  writeFileSync(intent, intentText(name.trim(), slug, schemaLine(intent, "intent.schema.json", schemasDir)));
  writeFileSync(cases, casesText(name.trim(), schemaLine(cases, "intent-cases.schema.json", schemasDir)));
  return { intent, cases };
}
