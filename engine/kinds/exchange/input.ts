/** The rendered input of an `exchange:cmdlet` step, and what its templates read as `response`. */
import type { ExchangeAnswer, ExchangeCode } from "../../clients/exchange/types";

export interface ExchangeCmdletInput {
  /** A cmdlet from engine/contracts/exchange-cmdlets.ts. */
  cmdlet: string;
  /** Typed values: strings, booleans, whole numbers, lists, null, `{ add, remove }`. */
  parameters: Record<string, unknown>;
  /** The mailbox Exchange routes the call to; absent = the tenant's system mailbox. */
  anchorMailbox?: string;
}

export const exchangeCmdletSchema = {
  type: "object",
  additionalProperties: false,
  required: ["cmdlet", "parameters"],
  properties: {
    cmdlet: { type: "string", minLength: 1 },
    parameters: {
      type: "object",
      additionalProperties: {
        anyOf: [
          { type: ["string", "boolean", "null"] },
          { type: "integer" },
          { type: "array", items: { type: "string" } },
          {
            type: "object",
            additionalProperties: false,
            properties: { add: { type: ["string", "array", "null"] }, remove: { type: ["string", "array", "null"] } },
          },
        ],
      },
    },
    anchorMailbox: { type: "string", minLength: 1 },
  },
} as const;

/** What `outputs` and `outcomes` read as `response`. */
export interface ExchangeResponseView {
  cmdlet: string;
  /** Exchange's HTTP status. */
  status: number;
  /** The cmdlet's output objects. */
  value: unknown[];
  /** Exchange's WARNING lines. */
  warnings: string[];
  /** EXCHANGE_* when the answer failed, or succeeded saying nothing changed (EXCHANGE_ALREADY_DONE). */
  code?: ExchangeCode;
  /** Exchange's own words for that code. */
  message?: string;
  /** The exception type Exchange named, e.g. ManagementObjectNotFoundException. */
  exception?: string;
}

export function responseView(cmdlet: string, answer: ExchangeAnswer): ExchangeResponseView {
  return {
    cmdlet,
    status: answer.status,
    value: answer.value,
    warnings: answer.warnings,
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.message === undefined ? {} : { message: answer.message }),
    ...(answer.exception === undefined ? {} : { exception: answer.exception }),
  };
}
