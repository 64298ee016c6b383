/**
 * A step's outputs as declared (`name: "{{template}}"` or `name: { value, secret }`) and which of
 * them, the kind's own included, hold a secret. The analyzer, the compiler and the runtime all
 * ask here, so a declared secret output is treated exactly like a kind's.
 */
import type { KindSpecs } from "../../core/step-kind-registry";
import type { StepOutputSpec, StepSpec } from "./types";

export interface DeclaredOutput {
  name: string;
  template: string;
  secret: boolean;
}

function declared(name: string, output: StepOutputSpec): DeclaredOutput {
  return typeof output === "string" ? { name, template: output, secret: false } : { name, template: output.value, secret: output.secret === true };
}

export function declaredOutputs(step: Pick<StepSpec, "outputs"> | undefined): DeclaredOutput[] {
  return Object.entries(step?.outputs ?? {}).map(([name, output]) => declared(name, output));
}

/** Every output name a step exposes: the kind's fixed outputs and the declared ones. */
export function outputNames(step: Pick<StepSpec, "kind" | "outputs"> | undefined, kinds: KindSpecs): Set<string> {
  const kindOutputs = Object.keys(kinds.find(step?.kind ?? "")?.outputs ?? {});
  return new Set([...declaredOutputs(step).map((o) => o.name), ...kindOutputs]);
}

/** Output names whose value is a secret: the kind's secret outputs and those declared `secret: true`. */
export function secretOutputNames(step: Pick<StepSpec, "kind" | "outputs"> | undefined, kinds: KindSpecs): Set<string> {
  const kindSecrets = Object.entries(kinds.find(step?.kind ?? "")?.outputs ?? {}).filter(([, o]) => o.secret).map(([name]) => name);
  return new Set([...kindSecrets, ...declaredOutputs(step).filter((o) => o.secret).map((o) => o.name)]);
}
