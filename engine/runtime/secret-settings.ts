/**
 * The secret settings an intent declares (`secrets:`), read before its first step: from the host's
 * reader (Key Vault, cached), known to the redactor before anything can show them, and kept in the
 * run's scope where only a secret slot reveals them. A credential of the engine is refused even
 * when a plan that lint never saw asks for it.
 */
import { isCredentialSetting, isPlainSetting } from "../core/credentials";
import { ensureIntentError } from "../core/errors";
import { placeholder } from "../core/placeholder";
import type { Redactor } from "../core/redaction";
import type { CompiledIntent } from "../language/spec/types";
import type { EngineServices, ReportedError, RunMode } from "./types";

export async function readSecretSettings(
  intent: CompiledIntent,
  services: EngineServices,
  mode: RunMode,
  redactor: Redactor,
): Promise<{ values: Record<string, unknown> } | ReportedError> {
  const refused = [...intent.settings.filter((name) => !isPlainSetting(name)), ...intent.secrets.filter(isCredentialSetting)];
  if (refused.length > 0) return { code: "SPEC_SECRET_NOT_ALLOWED", message: `No template may read ${refused.join(", ")}.` };
  if (intent.secrets.length === 0) return { values: {} };
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  try {
    const read = await Promise.all(intent.secrets.map((name) => services.secrets?.get(name)));
    intent.secrets.forEach((name, i) => {
      const value = read[i];
      if (value) {
        redactor.add(value);
        values[name] = value;
      } else if (mode === "dry-run") values[name] = placeholder(`secrets.${name}`);
      else missing.push(name);
    });
  } catch (thrown) {
    const error = ensureIntentError(thrown);
    return { code: error.code, message: error.message, ...(error.retryable ? { retryable: true } : {}) };
  }
  if (missing.length > 0) {
    const where = services.secrets?.whereSet ? ` Set ${missing.map((name) => services.secrets!.whereSet!(name)).join("; ")}.` : "";
    return { code: "CONFIG_MISSING", message: `Missing secret setting(s): ${missing.join(", ")}.${where}` };
  }
  return { values };
}
