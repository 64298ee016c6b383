/**
 * The helper reference of docs/intent-language.md, written from the helper definitions themselves
 * (signature, semantics, example): `intents docs --helpers` prints it and a test keeps the two equal.
 */
import { HELPER_DEFINITIONS, signature, type HelperDefinition } from "../../language/expression";

const GROUPS: ReadonlyArray<{ id: HelperDefinition["group"]; title: string }> = [
  { id: "compare", title: "Comparing" },
  { id: "logic", title: "Combining conditions" },
  { id: "text", title: "Text" },
  { id: "list", title: "Lists and objects" },
];

function values(example: HelperDefinition["example"]): string {
  return Object.entries(example.values)
    .map(([root, value]) => `\`${root}\` = \`${JSON.stringify(value)}\``)
    .join(", ");
}

function entry(helper: HelperDefinition): string {
  const lines = [
    `#### \`${signature(helper)}\` → ${helper.returns}`,
    "",
    `${helper.summary} ${helper.semantics}`,
    "",
    `Example: \`${helper.example.template}\` with ${values(helper.example)} gives \`${JSON.stringify(helper.example.result)}\`.`,
  ];
  return lines.join("\n");
}

export function renderHelpersMarkdown(): string {
  const sections = GROUPS.map(({ id, title }) => [`### ${title}`, "", ...HELPER_DEFINITIONS.filter((h) => h.group === id).map(entry).join("\n\n").split("\n")].join("\n"));
  return `${sections.join("\n\n")}\n`;
}
