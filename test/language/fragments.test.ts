/** Libraries and their uses: resolved at load, checked at the use site, reported where they were written. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execute, lintPaths, loadCatalog } from "../../engine/index";
import { offlineServices } from "./support";
import { builtinKindSpecs } from "../../engine/kinds";

const LIBRARY = `apiVersion: intents/v1
kind: Library
description: test library
predicates:
  big: "{{item.size > 10}}"
requests:
  userByEmail:
    inputs:
      email: { type: string }
      select: { type: string, required: false }
    request:
      method: GET
      path: /users/{upn}
      params: { upn: "{{inputs.email}}" }
      query: { $select: "{{inputs.select}}" }
steps:
  revoke:
    inputs: { user: { type: string } }
    kind: graph:request
    with: { method: POST, path: "/users/{upn}/revokeSignInSessions", params: { upn: "{{inputs.user}}" } }
    idempotent: true
outcomes:
  userNotFound:
    inputs: { email: { type: string } }
    rules:
      - when: "{{response.status == 404}}"
        result: failed
        error: { code: USER_NOT_FOUND, message: "No user {{inputs.email}}." }
`;

function intent(steps: string, extra = ""): string {
  return `apiVersion: intents/v1
kind: Intent
name: Uses
description: test
risk: read
permissions: { graph: [User.ReadWrite.All] }
fields:
  userEmail: { label: User Email, type: string }
  password: { label: Password, type: string, secret: true }
${extra}steps:
${steps}
result:
  messages: { succeeded: done, failed: failed }
`;
}

function lint(text: string, library = LIBRARY): string[] {
  const dir = mkdtempSync(join(tmpdir(), "fragments-"));
  mkdirSync(join(dir, "shared"));
  writeFileSync(join(dir, "shared", "lib.yaml"), library);
  writeFileSync(join(dir, "uses.yaml"), text);
  return lintPaths([dir], builtinKindSpecs()).diagnostics.map((d) => `${d.file.split("/").pop()}:${d.line}:${d.col} ${d.code} ${d.message}`);
}

const LOOKUP = `  - id: lookup
    kind: graph:batch
    with:
      requests:
        user: { use: userByEmail, inputs: { email: "{{fields.userEmail}}", select: "id" } }
    outputs:
      id: "{{response.user.body.id}}"
    outcomes:
      - { use: userNotFound, on: user, inputs: { email: "{{fields.userEmail}}" } }`;

describe("fragments", () => {
  it("a clean use lints clean", () => {
    expect(lint(intent(LOOKUP))).toEqual([]);
  });

  it("an unknown name is reported at the use with a did-you-mean", () => {
    expect(lint(intent(LOOKUP.replace("use: userByEmail", "use: userByMail")))).toEqual([
      expect.stringMatching(/^uses\.yaml:15:22 SPEC_UNKNOWN_FRAGMENT no request fragment is named "userByMail"; did you mean userByEmail\?/),
    ]);
  });

  it("a missing input, an unknown input and a literal of the wrong type are reported at the use", () => {
    const found = lint(
      intent(`  - id: revoke
    use: revoke
    inputs: { person: "{{fields.userEmail}}" }
  - id: lookup
    kind: graph:request
    with: { use: userByEmail, inputs: { email: 42 } }`),
    );
    expect(found).toEqual([
      expect.stringMatching(/^uses\.yaml:13:15 SPEC_FRAGMENT_INPUT "revoke" has no input "person"; its inputs: user/),
      expect.stringMatching(/^uses\.yaml:12:10 SPEC_FRAGMENT_INPUT "revoke" \(.*shared\/lib\.yaml:17\) needs input "user"/),
      expect.stringMatching(/^uses\.yaml:16:48 SPEC_FRAGMENT_INPUT input "email" of "userByEmail" is declared string, but 42 is a number/),
    ]);
  });

  it("an input's references are checked where the use writes them", () => {
    expect(lint(intent(LOOKUP.replace('email: "{{fields.userEmail}}", select', 'email: "{{fields.nope}}", select')))).toEqual([
      expect.stringMatching(/^uses\.yaml:15:55 SPEC_UNKNOWN_REFERENCE "fields.nope": no field "nope"/),
    ]);
  });

  it("a secret passed where the fragment puts it into a path is refused where the use passes it", () => {
    expect(lint(intent(LOOKUP.replace('email: "{{fields.userEmail}}", select', 'email: "{{fields.password}}", select')))).toEqual([
      expect.stringMatching(/^uses\.yaml:15:55 SPEC_SECRET_NOT_ALLOWED "fields\.password" is a secret/),
    ]);
  });

  it("a secret an outcome set would write into its message is refused at the use, naming the set's line", () => {
    expect(lint(intent(LOOKUP.replace('on: user, inputs: { email: "{{fields.userEmail}}" }', 'on: user, inputs: { email: "{{fields.password}}" }')))).toEqual([
      expect.stringMatching(/^uses\.yaml:19:16 SPEC_SECRET_NOT_ALLOWED "fields\.password" is a secret.* \(in "userNotFound", .*shared\/lib\.yaml:28:49\)$/),
    ]);
  });

  it("a problem in the library is reported once, in the library", () => {
    const broken = LIBRARY.replace('params: { upn: "{{inputs.email}}" }', 'params: { upn: "{{inputs.mail}}" }');
    expect(lint(intent(LOOKUP), broken)).toEqual([expect.stringMatching(/^lib\.yaml:14:25 SPEC_UNKNOWN_REFERENCE "inputs\.mail": no input "mail"; declared: email, select/)]);
  });

  it("a Graph problem in a fragment's own text is reported in the library, not again at each use", () => {
    const broken = LIBRARY.replace("path: /users/{upn}\n", "path: /userz/{upn}\n");
    const found = lint(intent(LOOKUP), broken);
    expect(found).toEqual([expect.stringMatching(/^lib\.yaml:13:14 SPEC_GRAPH_UNKNOWN_SEGMENT unknown Graph path segment "userz"/)]);
  });

  it("a name defined twice is reported at the second definition", () => {
    expect(lint(intent(LOOKUP, `predicates:\n  big: "{{item.size > 1}}"\n`))).toEqual([
      expect.stringMatching(/^uses\.yaml:11:3 SPEC_DUPLICATE_FRAGMENT the library predicate "big"/),
    ]);
  });
});

describe("expanded intents run", () => {
  it("outcome sets read the batch request named by `on`, and outcomes read the step's own outputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fragments-run-"));
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "lib.yaml"), LIBRARY);
    writeFileSync(
      join(dir, "uses.yaml"),
      intent(`${LOOKUP}
      - when: "{{output.id == 'u-2'}}"
        result: failed
        error: { code: SECOND_USER, message: "{{output.id}} is the second user." }`),
    );
    const [compiled] = loadCatalog(builtinKindSpecs(), dir).intents;
    const outcomes = compiled!.plan.steps[0]!.outcomes;
    expect(outcomes.map((o) => o.when?.source)).toEqual(["{{response.user.status == 404}}", "{{output.id == 'u-2'}}"]);
    const answer = (status: number, id: string) => offlineServices([{ status, body: status === 200 ? { id } : { error: { code: "Request_ResourceNotFound" } } }]);
    const run = (status: number, id: string) => execute(compiled!, { fields: { userEmail: "a@b.c" }, run: { runId: "r", ticketId: "t", intentName: "Uses", contactName: "", contactEmail: "", companyName: "" }, services: answer(status, id) });
    expect((await run(404, "")).error).toMatchObject({ code: "USER_NOT_FOUND", message: "No user a@b.c." });
    expect((await run(200, "u-2")).error).toMatchObject({ code: "SECOND_USER", message: "u-2 is the second user." });
    expect((await run(200, "u-1")).status).toBe("succeeded");
  });
});
