import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { IntentError } from "../core/errors";

export interface RunbookParameterSpec {
  required: boolean;
  /** PowerShell ValidateSet values (compared ignoring case, as PowerShell does). */
  enum?: string[];
  default?: string;
  description?: string;
}

export interface RunbookSpec {
  description: string;
  parameters: Record<string, RunbookParameterSpec>;
}

export type RunbookManifest = Record<string, RunbookSpec>;

const MANIFEST_RELATIVE = path.join("runbooks", "runbooks.json");

/** runbooks/runbooks.json from the repository root, found from source (tsx) or from dist/. */
export function defaultManifestPath(): string {
  for (const root of [path.resolve(__dirname, "../.."), path.resolve(__dirname, "../../..")]) {
    const candidate = path.join(root, MANIFEST_RELATIVE);
    if (existsSync(candidate)) return candidate;
  }
  return path.resolve(__dirname, "../..", MANIFEST_RELATIVE);
}

const cache = new Map<string, RunbookManifest>();

/** Loads and checks the manifest once per path. */
export function loadRunbookManifest(file: string = defaultManifestPath()): RunbookManifest {
  const cached = cache.get(file);
  if (cached) return cached;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new IntentError("CONFIG_MISSING", `The runbook manifest ${file} could not be read.`, { cause });
  }
  const manifest = checkManifest(parsed, file);
  cache.set(file, manifest);
  return manifest;
}

function checkManifest(parsed: unknown, file: string): RunbookManifest {
  const runbooks = (parsed as { runbooks?: unknown } | null)?.runbooks;
  if (!isRecord(runbooks)) throw invalid(file, "it has no `runbooks` object");
  for (const [name, spec] of Object.entries(runbooks)) {
    if (!isRecord(spec) || !isRecord(spec.parameters)) throw invalid(file, `runbook ${name} has no \`parameters\` object`);
    for (const [parameter, parameterSpec] of Object.entries(spec.parameters)) {
      if (!isRecord(parameterSpec) || typeof parameterSpec.required !== "boolean") {
        throw invalid(file, `parameter ${name}.${parameter} has no boolean \`required\``);
      }
    }
  }
  return runbooks as RunbookManifest;
}

function invalid(file: string, why: string): IntentError {
  return new IntentError("CONFIG_MISSING", `The runbook manifest ${file} is invalid: ${why}.`);
}

function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
