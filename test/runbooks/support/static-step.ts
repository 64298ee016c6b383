import { parseSource } from "../../../engine/language/spec/source";
import type { StaticStep } from "../../../engine/core/step-kind";

/**
 * A StaticStep for one step of an intent's YAML, built on the linter's own source positions
 * (engine/language/spec/source), so the lint hook's paths, lines and literal checks are the ones `lint` uses.
 */
export function staticStepFromYaml(text: string, stepIndex = 0): StaticStep {
  const { source, diagnostics } = parseSource("intent.yaml", text);
  if (!source) throw new Error(`test YAML does not parse: ${diagnostics.map((d) => d.message).join("; ")}`);
  const at = ["steps", stepIndex];
  const step = (source.value as { steps: Array<{ id: string; kind: string; with: unknown }> }).steps[stepIndex]!;
  return {
    id: step.id,
    kind: step.kind,
    with: step.with,
    locate: (path) => source.locate([...at, "with", ...path]),
    isLiteral: (path) => source.isLiteral([...at, "with", ...path]),
  };
}
