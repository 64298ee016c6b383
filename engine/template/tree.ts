/**
 * A value tree whose string leaves are precompiled templates. Rendering builds the result leaf by
 * leaf, so a rendered value is always one JSON leaf and can never add keys or close a structure.
 */
import { compileTemplate, type Template } from "./compile";

export type TemplateTree =
  | { readonly t: "literal"; readonly value: unknown }
  | { readonly t: "template"; readonly template: Template }
  | { readonly t: "array"; readonly items: readonly TemplateTree[] }
  | { readonly t: "object"; readonly entries: ReadonlyArray<readonly [string, TemplateTree]> };

export function compileTree(value: unknown): TemplateTree {
  if (typeof value === "string") {
    return value.includes("{{") ? { t: "template", template: compileTemplate(value) } : { t: "literal", value };
  }
  if (Array.isArray(value)) return Object.freeze({ t: "array", items: Object.freeze(value.map(compileTree)) });
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => Object.freeze([k, compileTree(v)] as const));
    return Object.freeze({ t: "object", entries: Object.freeze(entries) });
  }
  return Object.freeze({ t: "literal", value });
}

export function renderTree(tree: TemplateTree, scope: object): unknown {
  switch (tree.t) {
    case "literal":
      return tree.value;
    case "template":
      return tree.template.render(scope);
    case "array":
      return tree.items.map((item) => renderTree(item, scope));
    case "object":
      // fromEntries defines keys, so a key named `__proto__` stays an ordinary key.
      return Object.fromEntries(tree.entries.map(([key, child]) => [key, renderTree(child, scope)]));
  }
}
