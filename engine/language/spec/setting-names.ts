/**
 * An intent's `settings` (plain text, readable anywhere) and `secrets` (secret settings, read from
 * Key Vault, readable only where a step kind takes a secret). The engine's credentials are neither;
 * a setting whose name says it is secret must be declared under `secrets`.
 */
import { isCredentialSetting, isPlainSetting } from "../../core/credentials";
import type { ErrorCode } from "../../core/errors";
import type { DocPath } from "./source";
import type { IntentSpec } from "./types";

type Report = (code: ErrorCode, message: string, path: DocPath) => void;

export function checkSettingNames(spec: IntentSpec, report: Report): void {
  const secrets = new Set(spec.secrets ?? []);
  (spec.settings ?? []).forEach((name, i) => {
    if (isCredentialSetting(name)) report("SPEC_SECRET_NOT_ALLOWED", `${name} is a credential of the engine: no template may read it`, ["settings", i]);
    else if (secrets.has(name)) report("SPEC_SECRET_NOT_ALLOWED", `${name} is declared under secrets too: a secret setting is never plain text`, ["settings", i]);
    else if (!isPlainSetting(name)) {
      report("SPEC_SECRET_NOT_ALLOWED", `${name} is named like a secret: declare it under secrets and use {{secrets.${name}}} only where a step takes a secret`, ["settings", i]);
    }
  });
  (spec.secrets ?? []).forEach((name, i) => {
    if (isCredentialSetting(name)) report("SPEC_SECRET_NOT_ALLOWED", `${name} is a credential of the engine: no template may read it, not even as a secret`, ["secrets", i]);
  });
}
