/** One Handlebars parse per distinct template text, shared by the linter's analysis and the compiler. */
import Handlebars from "handlebars";

const parsed = new Map<string, hbs.AST.Program>();

/** Throws Handlebars' parse error when the text does not parse. The tree is shared: never modify it. */
export function parseTemplate(source: string): hbs.AST.Program {
  let program = parsed.get(source);
  if (!program) parsed.set(source, (program = Handlebars.parse(source)));
  return program;
}
