/**
 * Static facts about one template, for the linter (see engine/language/expression/analyze.ts).
 * Throws ParseError (with the offset of the problem) when the template does not parse.
 */
import { analyze, type AnalyzeContext, type TemplateFacts } from "../expression";

export type { TemplateFacts } from "../expression";

export function analyzeTemplate(source: string, context?: AnalyzeContext): TemplateFacts {
  return analyze(source, context);
}
