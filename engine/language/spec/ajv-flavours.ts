/**
 * The Ajv set-ups our schemas are compiled with, named, so the build's precompiled validators and
 * a runtime compile of the same schema behave alike.
 */
import type { Options } from "ajv";

export const AJV_FLAVOURS = {
  /** Intent files, step kinds' inputs, intents' `validation` schemas and field formats (with ajv-formats). */
  intent: { allErrors: true, verbose: true, strict: false },
  /** The webhook body: defaults filled in. */
  webhook: { allErrors: true, useDefaults: true, strict: false },
} as const satisfies Record<string, Options>;

export type AjvFlavour = keyof typeof AJV_FLAVOURS;

/** Whether the flavour validates formats (ajv-formats added). */
export const WITH_FORMATS: Readonly<Record<AjvFlavour, boolean>> = { intent: true, webhook: false };
