/**
 * `intents new <name>`: a new intent and its cases, valid from the start (they lint clean and the
 * case passes), written to be edited: a user lookup from the shared library, a message, one case.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IntentError } from "../core/errors";

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

function intentText(name: string, slug: string): string {
  return `# yaml-language-server: $schema=../schemas/intent.schema.json
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

function casesText(name: string): string {
  return `# yaml-language-server: $schema=../../schemas/intent-cases.schema.json
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

/** Writes both files under `dir`; refuses to overwrite. Returns the paths written. */
export function scaffoldIntent(name: string, dir: string): { intent: string; cases: string } {
  const slug = fileNameFor(name);
  const intent = join(dir, `${slug}.yaml`);
  const cases = join(dir, "cases", `${slug}.cases.yaml`);
  for (const path of [intent, cases]) {
    if (existsSync(path)) throw new IntentError("SPEC_SCHEMA", `${path} already exists; choose another name or edit that file.`);
  }
  mkdirSync(join(dir, "cases"), { recursive: true });
  writeFileSync(intent, intentText(name.trim(), slug));
  writeFileSync(cases, casesText(name.trim()));
  return { intent, cases };
}
