/**
 * Library data in an intent, resolved at load: `constants: { NAME: { use: DATA } }` takes a
 * library's named data, and a field default written as one `{{constants.NAME.key…}}` is that value.
 */
import type { ErrorCode } from "../../core/errors";
import type { DocPath } from "./source";
import type { Library } from "./library-types";
import { pathKey, type Origin } from "./fragment-origins";
import { constantPath } from "./fragment-substitution";
import { unknownFragmentMessage } from "./fragment-uses";

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export class DataExpander {
  /** Constants whose library use failed: what reads them is not reported again. */
  private readonly missingConstants = new Set<string>();

  constructor(
    private readonly library: Library,
    private readonly origins: Map<string, Origin>,
    private readonly problem: (code: ErrorCode, message: string, path: DocPath) => void,
  ) {}

  private unknown(kind: string, name: string, known: Iterable<string>, path: DocPath): void {
    this.problem("SPEC_UNKNOWN_FRAGMENT", unknownFragmentMessage(kind, name, known), path);
  }

  /** `constants: { NAME: { use: DATA } }` takes a library's named data as one of the intent's constants. */
  private expandConstants(written: unknown): unknown {
    if (!isObject(written)) return written;
    const resolved: Obj = {};
    for (const [key, value] of Object.entries(written)) {
      if (!isDataUse(value)) {
        resolved[key] = value;
        continue;
      }
      const constant = this.library.constants.get(value.use);
      if (!constant) {
        this.unknown("library constant", value.use, this.library.constants.keys(), ["constants", key, "use"]);
        this.missingConstants.add(key);
        resolved[key] = null;
        continue;
      }
      this.origins.set(pathKey(["constants", key]), { kind: "fragment", name: constant.name, written: constant.at, use: ["constants", key], exact: true });
      resolved[key] = constant.value;
    }
    return resolved;
  }

  /**
   * A field default written as one `{{constants.NAME.key…}}` is that value, read once at load: an
   * MSP's default choices kept as data (a library beside the intents) are the defaults Thread's
   * form shows and a missing field takes. Nothing else is evaluated at load.
   */
  private expandDefaults(fields: unknown, constants: unknown): unknown {
    if (!isObject(fields)) return fields;
    const out: Obj = {};
    for (const [variable, field] of Object.entries(fields)) {
      if (!isObject(field) || typeof field.default !== "string" || !field.default.includes("{{")) {
        out[variable] = field;
        continue;
      }
      // A default that cannot be read is reported once and left out, so nothing checks it again.
      const { default: written, ...rest } = field;
      const value = this.constantDefault(written as string, ["fields", variable, "default"], constants);
      out[variable] = value === undefined ? rest : { ...rest, default: value };
    }
    return out;
  }

  private constantDefault(text: string, at: DocPath, constants: unknown): unknown {
    const parts = constantPath(text);
    if (!parts) {
      this.problem("SPEC_FIELD_DEFAULT", "a default is a value, or one {{constants.NAME.key}} (read once when the intent loads); it cannot read fields, settings or steps", at);
      return undefined;
    }
    if (this.missingConstants.has(parts[0]!)) return undefined;
    let value: unknown = constants;
    for (const part of parts) {
      if (!isObject(value) || !Object.hasOwn(value, part)) {
        this.problem("SPEC_UNKNOWN_REFERENCE", `"constants.${parts.join(".")}" does not exist${isObject(value) ? `; there: ${Object.keys(value).join(", ") || "nothing"}` : ""}`, at);
        return undefined;
      }
      value = value[part];
    }
    const origin = this.origins.get(pathKey(["constants", parts[0]!]));
    if (origin?.kind === "fragment") this.origins.set(pathKey(at), { ...origin, written: { source: origin.written.source, path: [...origin.written.path, ...parts.slice(1)] }, use: at });
    return value;
  }

  /** The intent with its constants and field defaults resolved. */
  expand(spec: Obj): Obj {
    const withData: Obj = { ...spec };
    if (spec.constants !== undefined) withData.constants = this.expandConstants(spec.constants);
    if (spec.fields !== undefined) withData.fields = this.expandDefaults(spec.fields, withData.constants);
    return withData;
  }
}

/** `{ use: NAME }` and nothing else: a constant taken from a library, not data that has a `use` key. */
function isDataUse(value: unknown): value is { use: string } {
  return isObject(value) && typeof value.use === "string" && Object.keys(value).length === 1;
}
