import type { TenantState } from "../../tenant/types";
import type { CmdletError } from "../errors";

/** What a cmdlet produced: its output objects and WARNING lines, or the error Exchange raises. */
export type CmdletResult = { value: unknown[]; warnings: string[] } | { error: CmdletError };

/** What a cmdlet may know besides the tenant: the sandbox's clock (calendar windows start now). */
export interface CmdletContext {
  now(): number;
}

/** Parameters arrive bound: canonical names, values checked for their type. */
export type CmdletHandler = (tenant: TenantState, parameters: Readonly<Record<string, unknown>>, context: CmdletContext) => CmdletResult;

export const done = (value: unknown[] = [], warnings: string[] = []): CmdletResult => ({ value, warnings });
