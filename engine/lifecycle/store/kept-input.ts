/**
 * The run's mapped input, kept sealed on its run row from the claim until the run ends, so a run
 * whose instance stopped without a trace can be resumed by the abandoned-run sweep
 * (continue/abandoned.ts) without its request. Sealed like a continuation message (a key of its
 * own, derived from the shared secret) and split over properties as long text is; an input too
 * large for the row is not kept, and such a run is then ended rather than guessed at.
 */
import type { RunInput } from "../execute/run-input";
import { seal, unseal } from "../continue/sealing";
import { PROPERTY_CHARS, splitText } from "./table-text";

/** Parts of the run row the input may take: with the result's 64 KiB, well under the 1 MiB entity limit. */
export const INPUT_PARTS = 12;

/** The run row's columns that keep the input: `inputParts`, then `input0`…`inputN`. */
export interface KeptInputColumns {
  inputParts?: number;
  [part: `input${number}`]: string | undefined;
}

/** The columns keeping `input` sealed; empty when it is too large to keep. */
export function keptInputColumns(input: RunInput, sharedSecret: string): KeptInputColumns {
  // When the run started is the run row's own createdAt: not kept twice.
  const { startedAt: _startedAt, ...run } = input.run;
  const parts = splitText(seal({ ...input, run }, sharedSecret, "run-input"), PROPERTY_CHARS);
  if (parts.length > INPUT_PARTS) return {};
  return { inputParts: parts.length, ...Object.fromEntries(parts.map((part, i) => [`input${i}`, part])) };
}

/** The kept input, or undefined when the row keeps none; RUN_ABANDONED when it cannot be opened (the shared secret changed). */
export function openKeptInput(row: KeptInputColumns, createdAt: string, sharedSecret: string): RunInput | undefined {
  const count = row.inputParts ?? 0;
  if (count <= 0) return undefined;
  let sealed = "";
  for (let i = 0; i < count; i++) sealed += row[`input${i}`] ?? "";
  const input = unseal(sealed, sharedSecret, "run-input") as RunInput;
  return { ...input, run: { ...input.run, startedAt: createdAt } };
}

/** The row without its kept input: a run that ended needs it no more. */
export function withoutKeptInput<T extends object>(row: T): T {
  const kept = { ...row } as Record<string, unknown>;
  const count = Number(kept.inputParts ?? 0);
  delete kept.inputParts;
  for (let i = 0; i < Math.max(count, INPUT_PARTS); i++) delete kept[`input${i}`];
  return kept as T;
}
