/**
 * The shipped intents stay readable: no expression nests calls more than two deep, and nothing a
 * library can share (a lookup, an outcome rule) is written out in two intents.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { analyze, parse, type Expr } from "../../engine/language/expression";

const INTENTS = join(__dirname, "..", "..", "intents");

function yamlIn(dir: string): Array<{ file: string; value: Record<string, unknown> }> {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => ({ file: name, value: parseYaml(readFileSync(join(dir, name), "utf8")) as Record<string, unknown> }));
}

const intents = yamlIn(INTENTS);
const libraries = yamlIn(join(INTENTS, "shared"));

function strings(value: unknown, path: string, out: Array<{ path: string; text: string }> = []): Array<{ path: string; text: string }> {
  if (typeof value === "string" && value.includes("{{")) out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (value && typeof value === "object") for (const [key, child] of Object.entries(value)) strings(child, `${path}.${key}`, out);
  return out;
}

/** Every predicate name in reach, so templates that test with them analyse as the loader does. */
const predicateNames = new Set([...libraries, ...intents].flatMap(({ value }) => Object.keys((value.predicates as object | undefined) ?? {})));

/** Every step an intent writes: its steps, its snapshot's and its undo's. */
function everyStep(intent: Record<string, unknown>): Array<Record<string, unknown>> {
  const list = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value : []);
  return [...list(intent.steps), ...list(intent.snapshot), ...list((intent.undo as { steps?: unknown } | undefined)?.steps)];
}

/** Request objects written in a step (a `with`, or each request of a graph:batch), not fragment uses. */
function writtenRequests(intent: Record<string, unknown>): Array<Record<string, unknown>> {
  return everyStep(intent).flatMap((step) => {
    const input = (step.with ?? {}) as Record<string, unknown>;
    const candidates = step.kind === "graph:batch" ? Object.values((input.requests ?? {}) as Record<string, unknown>) : [input];
    return candidates.filter((c): c is Record<string, unknown> => !!c && typeof c === "object" && typeof (c as { path?: unknown }).path === "string");
  });
}

function writtenRules(intent: Record<string, unknown>): Array<Record<string, unknown>> {
  return everyStep(intent).flatMap((step) => ((step.outcomes ?? []) as Array<Record<string, unknown>>).filter((rule) => typeof rule.use !== "string"));
}

/** Comparisons and conditions a template writes in the call form (`eq a b`, `and a b`) instead of with operators. */
function callFormOperators(text: string): string[] {
  const OPERATORS = new Set(["eq", "ne", "lt", "gt", "in", "and", "or", "not"]);
  const found: string[] = [];
  const visit = (expr: Expr): void => {
    if (expr.t === "call") {
      if (OPERATORS.has(expr.name)) found.push(expr.name);
      expr.args.forEach(visit);
    } else if (expr.t === "compare" || expr.t === "logic") {
      visit(expr.left);
      visit(expr.right);
    } else if (expr.t === "not") visit(expr.operand);
  };
  const pieces = (list: ReturnType<typeof parse>["pieces"]): void => {
    for (const piece of list) {
      if (piece.t === "value") visit(piece.expr);
      else if (piece.t === "if") {
        for (const branch of piece.branches) {
          visit(branch.test);
          pieces(branch.body);
        }
        pieces(piece.otherwise);
      }
    }
  };
  pieces(parse(text).pieces);
  return found;
}

describe("shipped intents are written to be read", () => {
  it("compare and combine with operators (a == b, x and not y), not the call form kept for old intents", () => {
    const old = [...intents, ...libraries].flatMap(({ file, value }) =>
      strings(value, file).flatMap(({ path, text }) => callFormOperators(text).map((name) => `${path}: ${name} in ${text}`)),
    );
    expect(old).toEqual([]);
    expect(callFormOperators("{{#if eq fields.a 'x'}}{{and (ne a b) c}}{{/if}}")).toEqual(["eq", "and", "ne"]);
  });

  it("nest no call more than two deep", () => {
    const deep = [...intents, ...libraries].flatMap(({ file, value }) =>
      strings(value, file).filter(({ text }) => analyze(text, { predicates: predicateNames }).depth > 2).map(({ path, text }) => `${path}: ${text}`),
    );
    expect(deep).toEqual([]);
  });

  it("write each lookup once: a read of the same path and parameters in two intents (steps, snapshot or undo) belongs in a library", () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const { file, value } of intents) {
      for (const request of writtenRequests(value)) {
        if ((request.method ?? "GET") !== "GET") continue;
        // Placeholder names do not make two reads different: /users/{id} and /users/{upn} are one path.
        const params = Object.values((request.params ?? {}) as Record<string, unknown>);
        const key = JSON.stringify([String(request.path).replace(/\{[^}]*\}/g, "{}"), params, (request.query as { $filter?: unknown } | undefined)?.$filter ?? null]);
        const first = seen.get(key);
        if (first && first !== file) repeated.push(`${key} in ${first} and ${file}`);
        else seen.set(key, file);
      }
    }
    expect(repeated).toEqual([]);
  });

  it("use a library's request rather than write it out: no intent GETs a path a library request reads", () => {
    const offered = new Map<string, string>();
    for (const { file, value } of libraries) {
      for (const [name, fragment] of Object.entries((value.requests ?? {}) as Record<string, { request: { method?: string; path: string } }>)) {
        if ((fragment.request.method ?? "GET") === "GET") offered.set(fragment.request.path.replace(/\{[^}]*\}/g, "{}"), `${name} (shared/${file})`);
      }
    }
    expect(offered.size).toBeGreaterThan(5);
    const written = intents.flatMap(({ file, value }) =>
      writtenRequests(value)
        .filter((request) => (request.method ?? "GET") === "GET" && offered.has(String(request.path).replace(/\{[^}]*\}/g, "{}")))
        .map((request) => `${file}: GET ${String(request.path)} is ${offered.get(String(request.path).replace(/\{[^}]*\}/g, "{}"))}`),
    );
    expect(written).toEqual([]);
  });

  it("write each outcome once: an error code decided in two intents belongs in a library outcome set", () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const { file, value } of intents) {
      for (const rule of writtenRules(value)) {
        const code = (rule.error as { code?: string } | undefined)?.code;
        if (!code) continue;
        const first = seen.get(code);
        if (first && first !== file) repeated.push(`${code} in ${first} and ${file}`);
        else seen.set(code, file);
      }
    }
    expect(repeated).toEqual([]);
  });

  it("use the library: the user lookup and USER_NOT_FOUND are shared, not pasted", () => {
    const library = libraries.map(({ value }) => JSON.stringify(value)).join("\n");
    expect(library).toContain("USER_NOT_FOUND");
    const uses = intents.filter(({ value }) => JSON.stringify(value).includes('"use":"userNotFound"') || JSON.stringify(value).includes('"use":"revokeSessions"'));
    expect(uses.length).toBeGreaterThanOrEqual(10);
  });
});
