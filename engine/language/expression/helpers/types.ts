/** What a helper definition holds: its signature, its documentation and its function. */

export type ParamType = "any" | "list" | "text" | "number" | "key" | "object" | "predicate";

export interface HelperParam {
  name: string;
  type: ParamType;
  /** May be left out (the last parameters only). */
  optional?: boolean;
  /** Takes any number of values (the last parameter only). */
  variadic?: boolean;
}

export interface HelperExample {
  /** A whole template, as an intent would write it. */
  template: string;
  /** What the template reads (fields, steps, …). */
  values: Record<string, unknown>;
  /** What it renders to. */
  result: unknown;
}

export interface HelperDefinition {
  name: string;
  group: "compare" | "logic" | "text" | "list";
  params: readonly HelperParam[];
  returns: "boolean" | "text" | "number" | "list" | "any";
  summary: string;
  /** What it does with edge cases: missing values, wrong types, empty lists. */
  semantics: string;
  example: HelperExample;
  /** Predicate parameters arrive as functions of one item. */
  fn: (...args: any[]) => unknown;
}

/** A predicate parameter as a helper receives it: a test of one item. */
export type Predicate = (item: unknown) => boolean;
