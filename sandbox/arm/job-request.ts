import { loadRunbookManifest } from "../../engine/contracts/runbook-manifest";

export type JobRequestCheck = { runbook: string; parameters: Record<string, string> } | { status: number; code: string; message: string };

/**
 * Checks a Job - Create body the way Automation does: the runbook exists in the account (the
 * manifest), parameters are strings, none unknown, mandatory ones present, ValidateSet honoured.
 */
export function checkJobRequest(body: unknown, account: string): JobRequestCheck {
  const properties = (body as { properties?: { runbook?: { name?: unknown }; parameters?: unknown } } | undefined)?.properties;
  const runbook = properties?.runbook?.name;
  if (typeof runbook !== "string" || !runbook) {
    return { status: 400, code: "BadRequest", message: "The request body must hold properties.runbook.name." };
  }
  const spec = loadRunbookManifest()[runbook];
  if (!spec) return { status: 404, code: "NotFound", message: `Runbook '${runbook}' was not found in Automation account '${account}'.` };
  const raw = properties?.parameters ?? {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { status: 400, code: "BadRequest", message: "properties.parameters must be an object of strings." };
  }
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const declared = Object.keys(spec.parameters).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (!declared) return { status: 400, code: "BadRequest", message: `Runbook '${runbook}' has no parameter named '${name}'.` };
    if (typeof value !== "string") return { status: 400, code: "BadRequest", message: `Parameter '${name}' must be a string.` };
    const allowed = spec.parameters[declared]!.enum;
    if (allowed && !allowed.some((option) => option.toLowerCase() === value.toLowerCase())) {
      return {
        status: 400,
        code: "BadRequest",
        message: `Cannot validate argument on parameter '${declared}'. The argument "${value}" does not belong to the set "${allowed.join(",")}".`,
      };
    }
    parameters[declared] = value;
  }
  const missing = Object.entries(spec.parameters).filter(([name, parameter]) => parameter.required && !(name in parameters));
  if (missing.length > 0) {
    return {
      status: 400,
      code: "BadRequest",
      message: `Cannot process command because of one or more missing mandatory parameters: ${missing.map(([name]) => name).join(" ")}.`,
    };
  }
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    if (!(name in parameters) && parameter.default !== undefined) parameters[name] = parameter.default;
  }
  return { runbook, parameters };
}
