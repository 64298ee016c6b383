export interface PsParameter {
  name: string;
  mandatory: boolean;
  validateSet?: string[];
  default?: string;
}

/** The script's top-level `param( … )` block, by balanced parentheses (attributes nest them). */
function paramBlock(script: string): string {
  const start = /^\s*param\s*\(/im.exec(script);
  if (!start) throw new Error("no param() block");
  let depth = 0;
  const open = start.index + start[0].length - 1;
  for (let index = open; index < script.length; index++) {
    const char = script[index];
    if (char === "(") depth++;
    if (char === ")" && --depth === 0) return script.slice(open + 1, index);
  }
  throw new Error("unbalanced param() block");
}

/** Splits at commas outside (), [], {} and quotes: one chunk per parameter declaration. */
function splitTopLevel(block: string): string[] {
  const chunks: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = "";
  for (const char of block) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if ("([{".includes(char)) depth++;
    else if (")]}".includes(char)) depth--;
    else if (char === "," && depth === 0) {
      chunks.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (current.trim()) chunks.push(current);
  return chunks;
}

const unquote = (text: string) => text.trim().replace(/^(['"])(.*)\1$/, "$2");

/** Reads a runbook's parameters from its param() block: names, Mandatory, ValidateSet, defaults. */
export function parsePsParameters(script: string): PsParameter[] {
  return splitTopLevel(paramBlock(script)).map((declaration) => {
    const variable = /\$(\w+)\s*(?:=\s*(.+?))?\s*$/s.exec(declaration);
    if (!variable) throw new Error(`no variable in parameter declaration: ${declaration.trim()}`);
    const set = /\[ValidateSet\(([^)]*)\)\]/i.exec(declaration);
    return {
      name: variable[1]!,
      mandatory: /\[Parameter\([^)]*Mandatory\s*=\s*\$true/i.test(declaration),
      ...(set ? { validateSet: splitTopLevel(set[1]!).map(unquote) } : {}),
      ...(variable[2] === undefined ? {} : { default: unquote(variable[2]) }),
    };
  });
}
