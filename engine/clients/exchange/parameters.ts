/**
 * A cmdlet call checked against the allowed list and turned into `CmdletInput.Parameters`: the
 * last gate before anything is sent, whoever the caller is. Values are typed leaves; nothing a
 * value holds can add a parameter or change the cmdlet.
 */
import { findCmdlet, type CmdletParameterSpec, type CmdletSpec } from "../../contracts/exchange-cmdlets";
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
  const wrong = (expected: string): IntentError => refused(cmdlet, `parameter ${name} must be ${expected}`);
  switch (parameter.type) {
    case "string":
      if (typeof value !== "string" || value.trim() === "") throw wrong("a non-empty string");
      return allowed(cmdlet, name, parameter, value);
    case "nullableString":
      if (value === null) return null;
      if (typeof value !== "string" || value.trim() === "") throw wrong("a non-empty string or null");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrong("true or false");
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrong("a whole number");
      return value;
    case "stringList": {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0 || !items.every((item) => typeof item === "string" && item.trim() !== "")) throw wrong("a string or a list of strings");
      return items.map((item) => allowed(cmdlet, name, parameter, item as string));
    }
    case "multiValuedChange":
      return multiValuedChange(value, wrong);
  }
}

/** `{ add, remove }` with empty entries dropped; at least one entry must be left. */
function multiValuedChange(value: unknown, wrong: (expected: string) => IntentError): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw wrong("{ add, remove }");
  const change: Record<string, unknown> = { "@odata.type": GENERIC_HASH_TABLE };
  for (const [key, entries] of Object.entries(value)) {
    if (key !== "add" && key !== "remove") throw wrong("{ add, remove }");
    const list = (Array.isArray(entries) ? entries : [entries]).filter((entry) => entry !== null && entry !== undefined && entry !== "");
    if (!list.every((entry) => typeof entry === "string")) throw wrong("{ add, remove } of strings");
    if (list.length > 0) change[key] = list;
  }
  if (!("add" in change) && !("remove" in change)) throw wrong("{ add, remove } with at least one entry");
  return change;
}

/** The canonical spelling of an allowed value (PowerShell compares them ignoring case). */
function allowed(cmdlet: string, name: string, parameter: CmdletParameterSpec, value: string): string {
  if (!parameter.enum) return value;
  const match = parameter.enum.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
  if (match === undefined) throw refused(cmdlet, `parameter ${name} must be one of ${parameter.enum.join(", ")}`);
  return match;
}

function refused(cmdlet: string, why: string): IntentError {
  return new IntentError("EXCHANGE_CMDLET_REFUSED", `${cmdlet} ${why}; nothing was sent.`, {
    fix: "Check the step against engine/contracts/exchange-cmdlets.ts (`intents lint` shows the literal ones).",
  });
}
