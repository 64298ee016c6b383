/**
 * The deployment policy file (YAML, schemas/policy.schema.json), through the intent loader's
 * source-position machinery: every problem is a diagnostic at file:line:col, as for intents.
 */
import type { ValidateFunction } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import policySchema from "../../../schemas/policy.schema.json";
import { IntentError } from "../../core/errors";
import type { Diagnostic } from "../../core/step-kind";
import { normaliseName } from "../spec/names";
import { parseSource, type DocPath, type SourceFile } from "../spec/source";
import { compileSchema, requesterWording, schemaDiagnostics, SUPPORTED_API_VERSION } from "../spec/validate";
import { compileRule } from "./compile";
import { defaultPolicy, defaultRules } from "./defaults";
import type { DeploymentPolicy, PolicyFileSpec, PolicyRule, RiskTier } from "./types";

export const POLICY_FILE_NAME = "policy.yaml";

/** Roles whose holders can take over the tenant: a policy file may never exempt them from protection. */
export const UNEXEMPTABLE_ROLES: Readonly<Record<string, string>> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
};

// Both compiled on first use, not when the module loads: a starting process without a policy file
// never needs them, and one with a policy file takes the build's precompiled validator (see
// runtimeSchemas in ../spec/precompile.ts) instead of loading Ajv's compiler.
let validateRule: ValidateFunction | undefined;

function ruleValidator(): ValidateFunction | undefined {
  if (validateRule) return validateRule;
  // Only the cases tooling checks a lone rule; it pays for its own Ajv (importing "ajv" loads its compiler).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: addFormats } = require("ajv-formats") as typeof import("ajv-formats");
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(policySchema);
  return (validateRule = ajv.getSchema(`${policySchema.$id}#/definitions/rule`));
}

/** Why a value is not a rule (as in a policy file's `intents:`), or nothing. */
export function ruleProblems(value: unknown): string[] {
  const validateRule = ruleValidator();
  if (!validateRule || validateRule(value)) return [];
  return (validateRule.errors ?? []).map((e) => `${e.instancePath || "the rule"} ${e.message ?? "is invalid"}`);
}

export interface PolicyLoadOptions {
  /** The canonical name of an intent named (or aliased) so, when a catalogue is at hand; undefined = unknown. */
  resolveIntent?: (name: string) => string | undefined;
  /** The AUTHORISED_REQUESTERS_GROUP setting, for the built-in destructive rule. */
  authorisedGroup?: string;
}

export interface LoadedPolicy {
  policy?: DeploymentPolicy;
  diagnostics: Diagnostic[];
}

/** `policy.yaml` beside the intents folder: the default place of the deployment's policy. */
export function policyPathFor(intentsDir: string): string {
  return join(dirname(resolve(intentsDir)), POLICY_FILE_NAME);
}

/** True when a YAML file declares `kind: Policy` (so `intents lint` checks it as a policy). */
export function isPolicyText(text: string): boolean {
  return /^kind:\s*["']?Policy["']?\s*(#.*)?$/m.test(text);
}

function semanticDiagnostics(source: SourceFile, spec: PolicyFileSpec, options: PolicyLoadOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (message: string, path: DocPath, key = false): void => {
    const { line, col } = source.locate(path, key);
    diagnostics.push({ code: "POLICY_INVALID", message, file: source.file, line, col, path: path.join(".") });
  };
  if (spec.apiVersion !== SUPPORTED_API_VERSION) report(`apiVersion "${spec.apiVersion}" is not supported; use ${SUPPORTED_API_VERSION}`, ["apiVersion"]);
  const claimed = new Map<string, string>();
  for (const name of Object.keys(spec.intents ?? {})) {
    const canonical = options.resolveIntent ? options.resolveIntent(name) : name;
    if (canonical === undefined) {
      report(`intents names "${name}", which is not an intent's name or alias`, ["intents", name], true);
      continue;
    }
    const first = claimed.get(normaliseName(canonical));
    if (first !== undefined) report(`"${name}" and "${first}" are the same intent`, ["intents", name], true);
    else claimed.set(normaliseName(canonical), name);
  }
  (spec.protected?.exemptRoles ?? []).forEach((id, i) => {
    const role = UNEXEMPTABLE_ROLES[id.toLowerCase()];
    if (role) report(`${role} holders are always protected; this role cannot be exempted`, ["protected", "exemptRoles", i]);
  });
  const rules: Array<[DocPath, NonNullable<PolicyFileSpec["intents"]>[string]]> = [
    ...Object.entries(spec.rules ?? {}).map(([tier, rule]) => [["rules", tier], rule] as [DocPath, typeof rule]),
    ...Object.entries(spec.intents ?? {}).map(([name, rule]) => [["intents", name], rule] as [DocPath, typeof rule]),
  ];
  for (const [at, rule] of rules) {
    const admitsUnknown = rule.admit?.includes("unknown") ?? false;
    const hasAddress = rule.requesters.some((r) => typeof r === "object" && "address" in r);
    if (admitsUnknown && !hasAddress) report("admit: unknown has no effect without an {address: …} requester (nothing else can match someone who is not in the tenant)", [...at, "admit"]);
  }
  return diagnostics;
}

function compilePolicy(spec: PolicyFileSpec, file: string, options: PolicyLoadOptions): DeploymentPolicy {
  const label = basename(file);
  const defaults = defaultRules(options.authorisedGroup);
  const rules = { ...defaults };
  for (const tier of ["read", "reversible", "destructive"] as RiskTier[]) {
    const written = spec.rules?.[tier];
    if (written) rules[tier] = compileRule(written, `${label} rules.${tier}`);
  }
  const intents = new Map<string, PolicyRule>();
  for (const [name, written] of Object.entries(spec.intents ?? {})) {
    const canonical = options.resolveIntent?.(name) ?? name;
    intents.set(normaliseName(canonical), compileRule(written, `${label} intents["${name}"]`));
  }
  const guarded = spec.protected ?? {};
  return {
    file,
    rules,
    intents,
    protected: {
      groups: (guarded.groups ?? []).map((g) => ({ id: g.group.toLowerCase(), ...(g.name ? { name: g.name } : {}) })),
      accounts: (guarded.accounts ?? []).map((a) => a.trim().toLowerCase()),
      exemptRoles: new Set((guarded.exemptRoles ?? []).map((id) => id.toLowerCase())),
    },
  };
}

/** One policy file's text: diagnostics (schema first, then meaning), and the compiled policy when there are none. */
export function loadPolicyText(file: string, text: string, options: PolicyLoadOptions = {}): LoadedPolicy {
  const { source, diagnostics } = parseSource(file, text);
  if (!source) return { diagnostics };
  const schema = schemaDiagnostics(compileSchema(policySchema), source, "POLICY_SCHEMA", { root: "the policy", oneOf: requesterWording });
  if (schema.length > 0) return { diagnostics: schema };
  const spec = source.value as PolicyFileSpec;
  const semantic = semanticDiagnostics(source, spec, options);
  if (semantic.length > 0) return { diagnostics: semantic };
  return { policy: compilePolicy(spec, file, options), diagnostics: [] };
}

export function lintPolicyFile(path: string, options: PolicyLoadOptions = {}): Diagnostic[] {
  return loadPolicyText(relative(process.cwd(), path) || path, readFileSync(path, "utf8"), options).diagnostics;
}

/**
 * The deployment's policy for the host: the file at `path` when it exists; the built-in defaults
 * when the default file is absent; CONFIG_MISSING when a file the settings name is absent. Any
 * problem in the file stops the host, as an invalid intent does.
 */
export function loadDeploymentPolicy(path: string, explicit: boolean, options: PolicyLoadOptions = {}): DeploymentPolicy {
  if (!existsSync(path)) {
    if (explicit) {
      throw new IntentError("CONFIG_MISSING", `The policy file ${path} (POLICY_FILE) does not exist.`, {
        fix: "Point POLICY_FILE at the deployment's policy file, or remove the setting to use policy.yaml beside intents/ (or the built-in rules).",
      });
    }
    return defaultPolicy(options.authorisedGroup);
  }
  const { policy, diagnostics } = loadPolicyText(path, readFileSync(path, "utf8"), options);
  const [first] = diagnostics;
  if (!policy || first) {
    const summary = diagnostics.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message}`).join("\n");
    throw new IntentError(first?.code ?? "POLICY_INVALID", `${diagnostics.length} problem(s) in the policy file:\n${summary}`, { details: diagnostics });
  }
  return policy;
}
