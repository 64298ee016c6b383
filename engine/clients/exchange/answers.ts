/**
 * What an `InvokeCommand` answer means, as a stable code. Exchange wraps every cmdlet failure
 * alike (`error.message` "Error executing cmdlet") and puts the reason in `error.details[].message`
 * as `<id>|<exception type>|<text>`; a change that was already in place often comes back as a
 * success whose `@adminapi.warnings` say so. Both are read here, once, for both routes: a
 * runbook's reason is Exchange's exception text too.
 */
import type { ExchangeCode } from "./types";

export interface ExchangeFailure {
  code: ExchangeCode;
  /** The human part of Exchange's text. */
  message: string;
  /** The exception type, e.g. `ManagementObjectNotFoundException`, when Exchange named one. */
  exception?: string;
}

const NOT_FOUND_TYPES = /ManagementObjectNotFoundException|RecipientNotFoundException|ObjectNotFoundException/i;
const NOT_FOUND_TEXT = /couldn't be found|could not be found|doesn't exist|does not exist/i;
const ALREADY_TYPES = /MemberAlreadyExistsException|MemberNotFoundException|ADObjectAlreadyExistsException|UserAlreadyExistsInPermissionEntryException|UserNotFoundInPermissionEntryException/i;
/** Already a member / not a member / already present / no ACE or folder permission to remove: the desired state holds. */
const ALREADY_TEXT =
  /is already a member|already exists|already present|existing permission entry was found|no existing permission entry found|isn't a member|is not a member|ACE doesn't exist|ACE isn't present|no settings of .* have been modified|no settings have been modified/i;
const DENIED_TEXT = /access (is )?denied|isn't authorized|is not authorized|not allowed to|insufficient|isn't assigned to any management roles/i;

/** Exchange's `error.details[].message`, else `error.message`, split into type and text. */
function reasonsOf(body: unknown): Array<{ exception?: string; text: string }> {
  const error = record(record(body)?.error);
  if (!error) return [];
  const details = Array.isArray(error.details) ? error.details : [];
  const texts = details.map((detail) => record(detail)?.message).filter((message): message is string => typeof message === "string" && message.trim() !== "");
  const inner = record(record(error.innererror)?.internalException)?.message;
  if (texts.length === 0 && typeof inner === "string") texts.push(inner);
  if (texts.length === 0 && typeof error.message === "string") texts.push(error.message);
  return texts.map((text) => {
    const parts = text.split("|");
    if (parts.length < 3) return { text: text.trim() };
    const exception = parts[1]!.split(".").pop()!.trim();
    return { ...(exception ? { exception } : {}), text: parts.slice(2).join("|").trim() };
  });
}

/** A failed answer (non-2xx) as a stable code with Exchange's own words. */
export function failureOf(status: number, body: unknown): ExchangeFailure {
  const [first] = reasonsOf(body);
  const message = first?.text || (status === 403 && isBlank(body)
    ? "Exchange answered 403 without a body, which is how it refuses a cmdlet the app's Exchange roles do not hold."
    : `Exchange answered ${status}.`);
  const exception = first?.exception;
  const withType = (code: ExchangeCode): ExchangeFailure => ({ code, message, ...(exception ? { exception } : {}) });
  if (status === 429) return withType("EXCHANGE_THROTTLED");
  if (status === 401 || status === 403) return withType("EXCHANGE_PERMISSION_DENIED");
  return withType(codeOfText(`${exception ?? ""} ${message}`));
}

/** The code of a reason given as text (a runbook's failure reason, an error's message). */
export function codeOfText(text: string): ExchangeCode {
  if (ALREADY_TYPES.test(text) || ALREADY_TEXT.test(text)) return "EXCHANGE_ALREADY_DONE";
  if (NOT_FOUND_TYPES.test(text) || NOT_FOUND_TEXT.test(text)) return "EXCHANGE_NOT_FOUND";
  if (DENIED_TEXT.test(text)) return "EXCHANGE_PERMISSION_DENIED";
  return "EXCHANGE_ERROR";
}

/** The warning of a successful answer that says nothing changed, if there is one. */
export function unchangedWarning(warnings: readonly string[]): string | undefined {
  return warnings.find((warning) => ALREADY_TEXT.test(warning));
}

/** `@adminapi.warnings` as strings (Exchange's WARNING lines). */
export function warningsOf(body: unknown): string[] {
  const warnings = record(body)?.["@adminapi.warnings"];
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === "string" && w !== "") : [];
}

function isBlank(body: unknown): boolean {
  return body === null || body === undefined || (typeof body === "string" && body.replace(/[\s\0]/g, "") === "");
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
