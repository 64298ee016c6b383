import type { TenantState } from "../../tenant/types";
import type { CmdletError } from "../errors";

/** What a cmdlet produced: its output objects and WARNING lines, or the error Exchange raises. */
export type CmdletResult = { value: unknown[]; warnings: string[] } | { error: CmdletError };

/** Parameters arrive bound: canonical names, values checked for their type. */
export type CmdletHandler = (tenant: TenantState, parameters: Readonly<Record<string, unknown>>) => CmdletResult;

export const done = (value: unknown[] = [], warnings: string[] = []): CmdletResult => ({ value, warnings });
