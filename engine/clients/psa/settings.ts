/**
 * Which PSA to report to (PSA_KIND) and how to reach it, from the app settings. Secrets (the
 * ConnectWise private key, the Autotask secret, the HaloPSA client secret) are not read here: the
 * composition root hands each connector a reader over Key Vault. Every missing setting is named.
 */
import { IntentError } from "../../core/errors";
import { AUTOTASK_ZONE_LOOKUP_URL } from "./autotask";
import { PSA_KINDS, type PsaKind } from "./types";

type Settings = Readonly<Record<string, string | undefined>>;

export type PsaSettings =
  | { kind: "connectwise"; baseUrl: string; companyId: string; publicKey: string; clientId: string }
  | {
      kind: "autotask"; userName: string; integrationCode: string; apiBaseUrl: string | undefined; zoneLookupUrl: string;
      noteType: number; publishInternal: number; publishCustomer: number;
    }
  | {
      kind: "halopsa"; baseUrl: string; authUrl: string | undefined; tenant: string | undefined; clientId: string;
      outcomeInternal: string; outcomeCustomer: string;
    };

/** The secret each PSA needs, by the setting (and Key Vault secret) name it is read under. */
export const PSA_SECRET_SETTING = {
  connectwise: "CONNECTWISE_PRIVATE_KEY",
  autotask: "AUTOTASK_SECRET",
  halopsa: "HALOPSA_CLIENT_SECRET",
} as const satisfies Record<PsaKind, string>;

const REQUIRED = {
  connectwise: ["CONNECTWISE_BASE_URL", "CONNECTWISE_COMPANY_ID", "CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_CLIENT_ID"],
  autotask: ["AUTOTASK_USERNAME", "AUTOTASK_INTEGRATION_CODE"],
  halopsa: ["HALOPSA_BASE_URL", "HALOPSA_CLIENT_ID"],
} as const satisfies Record<PsaKind, readonly string[]>;

function text(settings: Settings, name: string): string | undefined {
  const value = settings[name]?.trim();
  return value ? value : undefined;
}

/** A required setting, checked present above; the name is written out so the settings scan sees it. */
function must(settings: Settings, name: string): string {
  return text(settings, name) ?? "";
}

function picklistValue(settings: Settings, name: string, fallback: number): number {
  const value = text(settings, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) {
    throw new IntentError("CONFIG_MISSING", `The setting ${name} must be a picklist value (a whole number), not "${value}".`, {
      fix: `Read the value from Autotask's TicketNotes/entityInformation/fields and set ${name} to it.`,
    });
  }
  return Number(value);
}

/** undefined when PSA_KIND is not set: nothing is reported to a PSA. */
export function readPsaSettings(settings: Settings): PsaSettings | undefined {
  const kind = text(settings, "PSA_KIND")?.toLowerCase();
  if (kind === undefined) return undefined;
  if (!(PSA_KINDS as readonly string[]).includes(kind)) {
    throw new IntentError("CONFIG_MISSING", `PSA_KIND must be one of ${PSA_KINDS.join(", ")}, not "${kind}".`, {
      fix: "Set PSA_KIND to the PSA the tickets live in, or leave it empty to post no notes.",
    });
  }
  const psa = kind as PsaKind;
  const missing = REQUIRED[psa].filter((name) => text(settings, name) === undefined);
  if (missing.length > 0) {
    throw new IntentError("CONFIG_MISSING", `PSA_KIND=${psa} needs ${missing.join(", ")}.`, {
      fix: `Set ${missing.join(", ")} in the app settings (README: Reporting back), and ${PSA_SECRET_SETTING[psa]} in the Key Vault.`,
      details: { missing },
    });
  }
  switch (psa) {
    case "connectwise":
      return { kind: psa, baseUrl: must(settings, "CONNECTWISE_BASE_URL"), companyId: must(settings, "CONNECTWISE_COMPANY_ID"), publicKey: must(settings, "CONNECTWISE_PUBLIC_KEY"), clientId: must(settings, "CONNECTWISE_CLIENT_ID") };
    case "autotask":
      return {
        kind: psa, userName: must(settings, "AUTOTASK_USERNAME"), integrationCode: must(settings, "AUTOTASK_INTEGRATION_CODE"),
        apiBaseUrl: text(settings, "AUTOTASK_API_BASE_URL"), zoneLookupUrl: text(settings, "AUTOTASK_ZONE_LOOKUP_URL") ?? AUTOTASK_ZONE_LOOKUP_URL,
        noteType: picklistValue(settings, "AUTOTASK_NOTE_TYPE", 1),
        publishInternal: picklistValue(settings, "AUTOTASK_PUBLISH_INTERNAL", 2),
        publishCustomer: picklistValue(settings, "AUTOTASK_PUBLISH_CUSTOMER", 1),
      };
    case "halopsa":
      return {
        kind: psa, baseUrl: must(settings, "HALOPSA_BASE_URL"), authUrl: text(settings, "HALOPSA_AUTH_URL"), tenant: text(settings, "HALOPSA_TENANT"),
        clientId: must(settings, "HALOPSA_CLIENT_ID"),
        outcomeInternal: text(settings, "HALOPSA_OUTCOME_INTERNAL") ?? "Private Note",
        outcomeCustomer: text(settings, "HALOPSA_OUTCOME_CUSTOMER") ?? "Public Note",
      };
  }
}
