/**
 * A cmdlet call checked against the allowed list and turned into `CmdletInput.Parameters`: the
 * last gate before anything is sent, whoever the caller is. Values are typed leaves; nothing a
 * value holds can add a parameter or change the cmdlet.
 */
import { findCmdlet, parameterValueProblem, type CmdletParameterSpec, type CmdletSpec } from "../../contracts/exchange-cmdlets";
import { IntentError } from "../../core/errors";

const GENERIC_HASH_TABLE = "#Exchange.GenericHashTable";

export function cmdletSpecOrRefuse(cmdlet: string): CmdletSpec {
  const spec = findCmdlet(cmdlet);
  if (!spec) {
    throw new IntentError("EXCHANGE_CMDLET_REFUSED", `The cmdlet '${cmdlet}' is not on the engine's list of Exchange cmdlets; nothing was sent.`, {
      fix: "Only the cmdlets in engine/contracts/exchange-cmdlets.ts may run; `intents lint` shows which step names another.",
    });
  }
  return spec;
}

/** The parameters as Exchange reads them, or EXCHANGE_CMDLET_REFUSED naming the first problem. */
export function wireParameters(cmdlet: string, parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const spec = cmdletSpecOrRefuse(cmdlet);
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    const parameter = Object.hasOwn(spec.parameters, name) ? spec.parameters[name] : undefined;
    if (!parameter) throw refused(cmdlet, `has no allowed parameter '${name}'; allowed: ${Object.keys(spec.parameters).join(", ")}`);
    wire[name] = wireValue(cmdlet, name, parameter, value);
  }
  const missing = Object.entries(spec.parameters).filter(([name, p]) => p.required && !(name in wire)).map(([name]) => name);
  if (missing.length > 0) throw refused(cmdlet, `needs ${missing.join(", ")}`);
  return wire;
}

function wireValue(cmdlet: string, name: string, parameter: CmdletParameterSpec, value: unknown): unknown {
  const problem = parameterValueProblem(parameter, value);
  if (problem) throw refused(cmdlet, `parameter ${name} ${problem}`);
  switch (parameter.type) {
    case "string":
      return canonical(parameter, value as string);
    case "stringList":
      return (Array.isArray(value) ? value : [value]).map((item) => canonical(parameter, item as string));
    case "multiValuedChange":
      return multiValuedChange(cmdlet, name, value as Record<string, unknown>);
    default:
      return value;
  }
}

/** `{ add, remove }` as Exchange's hashtable, empty entries dropped; something must be left to change. */
function multiValuedChange(cmdlet: string, name: string, value: Record<string, unknown>): Record<string, unknown> {
  const change: Record<string, unknown> = { "@odata.type": GENERIC_HASH_TABLE };
  for (const [side, entries] of Object.entries(value)) {
    const list = (Array.isArray(entries) ? entries : [entries]).filter((entry) => typeof entry === "string" && entry.trim() !== "");
    if (list.length > 0) change[side] = list;
  }
  if (!("add" in change) && !("remove" in change)) throw refused(cmdlet, `parameter ${name} has nothing to add or remove`);
  return change;
}

/** The canonical spelling of an allowed value (PowerShell compares them ignoring case). */
function canonical(parameter: CmdletParameterSpec, value: string): string {
  return parameter.enum?.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase()) ?? value;
}

function refused(cmdlet: string, why: string): IntentError {
  return new IntentError("EXCHANGE_CMDLET_REFUSED", `${cmdlet} ${why}; nothing was sent.`, {
    fix: "Check the step against engine/contracts/exchange-cmdlets.ts (`intents lint` shows the literal ones).",
  });
}
