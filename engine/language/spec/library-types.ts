/** What a library defines, by name: predicates, request and step fragments, outcome sets, data. */
import type { DocPath, SourceFile } from "./source";
import type { FieldType } from "./types";
import type { Expr } from "../expression";

export type InputType = FieldType | "object";

export interface FragmentInput {
  type: InputType;
  required: boolean;
  description?: string;
}

/** Where a definition is written, for diagnostics at both ends of a use. */
export interface Written {
  source: SourceFile;
  path: DocPath;
}

export interface Fragment<Body> {
  name: string;
  description?: string;
  inputs: Record<string, FragmentInput>;
  body: Body;
  at: Written;
}

export interface LibraryRule {
  when: string;
  result: "changed" | "ok" | "failed";
  error?: { code: string; message: string; fix?: string };
}

export interface LibraryStep {
  kind: string;
  with?: Record<string, unknown>;
  outputs?: Record<string, string>;
  outcomes?: LibraryRule[];
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface Predicate {
  name: string;
  text: string;
  expr: Expr;
  at: Written;
}

/** Data an MSP keeps beside its intents (a department's groups, default choices), taken by name. */
export interface LibraryConstant {
  name: string;
  value: unknown;
  at: Written;
}

/** Everything the libraries in reach define, by name. */
export interface Library {
  predicates: ReadonlyMap<string, Predicate>;
  requests: ReadonlyMap<string, Fragment<Record<string, unknown>>>;
  steps: ReadonlyMap<string, Fragment<LibraryStep>>;
  outcomes: ReadonlyMap<string, Fragment<LibraryRule[]>>;
  constants: ReadonlyMap<string, LibraryConstant>;
}

export const EMPTY_LIBRARY: Library = { predicates: new Map(), requests: new Map(), steps: new Map(), outcomes: new Map(), constants: new Map() };
