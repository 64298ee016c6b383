/** The reporter's own settings: the requester mail switch, the outbound webhook, the attempts. */
import { IntentError } from "../../core/errors";
import { DEFAULT_MAX_ATTEMPTS } from "./deliver";

type Settings = Readonly<Record<string, string | undefined>>;

export interface ReportSettings {
  requesterEmail: boolean;
  webhookUrl: string | undefined;
  maxAttempts: number;
}

function invalid(name: string, value: string, fix: string): IntentError {
  return new IntentError("CONFIG_MISSING", `The setting ${name} is not valid: "${value}".`, { fix });
}

/** https anywhere; plain http only to this machine (the local stack and tests). */
function webhookUrl(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("REPORT_WEBHOOK_URL", text, "Set REPORT_WEBHOOK_URL to the receiver's https:// URL, or leave it empty.");
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw invalid("REPORT_WEBHOOK_URL", text, "The outbound webhook carries run details: use an https:// URL.");
  }
  return url.toString();
}

export function readReportSettings(settings: Settings): ReportSettings {
  const mail = settings.REPORT_REQUESTER_EMAIL?.trim().toLowerCase() ?? "";
  if (!["", "true", "false"].includes(mail)) throw invalid("REPORT_REQUESTER_EMAIL", mail, "Set REPORT_REQUESTER_EMAIL to true or false.");
  const attempts = settings.REPORT_MAX_ATTEMPTS?.trim() ?? "";
  if (attempts !== "" && !/^[1-9]\d*$/.test(attempts)) throw invalid("REPORT_MAX_ATTEMPTS", attempts, "Set REPORT_MAX_ATTEMPTS to a whole number of attempts (48, the default, span about a day).");
  return {
    requesterEmail: mail === "true",
    webhookUrl: webhookUrl(settings.REPORT_WEBHOOK_URL),
    maxAttempts: attempts === "" ? DEFAULT_MAX_ATTEMPTS : Number(attempts),
  };
}
