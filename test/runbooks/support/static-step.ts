import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { StaticStep } from "../../../engine/steps/types";

/**
 * A StaticStep for one step of an intent's YAML, located with yaml's LineCounter the way the
 * linter does, so the lint hook's paths can be checked against real lines and columns.
 */
export function staticStepFromYaml(source: string, stepIndex = 0): StaticStep {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter });
  const step = document.getIn(["steps", stepIndex], true) as Node;
  const withNode = document.getIn(["steps", stepIndex, "with"], true) as Node | undefined;
  const position = (node: Node | undefined) => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? step.range?.[0] ?? 0);
    return { line, col };
  };
  const nodeAt = (path: ReadonlyArray<string | number>): Node | undefined => {
    let node: Node | undefined = withNode;
    let found = node;
    for (const key of path) {
      if (isMap(node) || isSeq(node)) node = node.get(key, true) as Node | undefined;
      else node = undefined;
      if (!node) break;
      found = node;
    }
    return found;
  };
  const stepValue = document.getIn(["steps", stepIndex]) as { id: string; kind: string; with: unknown };
  return {
    id: stepValue.id,
    kind: stepValue.kind,
    with: document.toJS().steps[stepIndex].with,
    locate: (path) => position(nodeAt(path)),
    isLiteral: (path) => {
      const node = nodeAt(path);
      return !isScalar(node) || !String(node.value).includes("{{");
    },
  };
}
