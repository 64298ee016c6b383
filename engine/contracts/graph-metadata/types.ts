/**
 * Shape of graph-v1.0.index.json. A type reference is the type's name without the
 * "microsoft.graph." prefix ("user", "security.alert"), suffixed "*" for a collection; "" is a
 * primitive or enum value ("*" alone: a collection of them).
 */
export interface GraphIndexData {
  types: Record<string, TypeEntry>;
  /** Entity sets (collections) and singletons of the service root: "users" → "user*", "me" → "user". */
  roots: Record<string, string>;
  /** Bound actions and functions by binding type reference ("user", "user*"), then by name. */
  operations: Record<string, Record<string, OperationEntry>>;
}

export interface TypeEntry {
  kind: "entity" | "complex";
  base?: string;
  open?: boolean;
  /** Structural properties declared on this type (not inherited) → type reference. */
  properties: Record<string, string>;
  /** Navigation properties declared on this type → type reference. */
  navigation: Record<string, string>;
  /** Structural properties whose value is a JSON boolean or number rather than text (absent: none). */
  scalars?: Record<string, "boolean" | "number">;
}

export interface OperationEntry {
  kind: "action" | "function";
  /** Parameter names, the binding parameter excluded. */
  parameters: string[];
  returns?: string;
}
