/**
 * A value tree whose string leaves are precompiled templates. Rendering builds the result leaf by
 * leaf, so a rendered value is always one JSON leaf and can never add keys or close a structure.
 */
import type { UrlSlot } from "../../core/step-kind";
import type { PredicateTable } from "../expression";
import { compileTemplate, type Template } from "./compile";
import { guardSecrets, revealSecrets } from "./secret-slot";
import { compileUrlTemplate } from "./url";

export type TemplateTree =
  | { readonly t: "literal"; readonly value: unknown }
  | { readonly t: "template"; readonly template: Template }
  | { readonly t: "array"; readonly items: readonly TemplateTree[] }
  | { readonly t: "object"; readonly entries: ReadonlyArray<readonly [string, TemplateTree]> }
  /** A subtree that renders with the secret settings revealed (`secrets: true`) or guarded again. */
  | { readonly t: "secrets"; readonly reveal: boolean; readonly tree: TemplateTree };

/** Freezes a value and everything under it; compiled plans and shared literals are immutable. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type SlotPath = ReadonlyArray<string | number>;

/** The typed slots of a tree, by path: a kind's `urlSlot` and `secretPaths`. */
export interface TreeSlots {
  /** Leaves that are URL slots. */
  url?: (path: SlotPath) => UrlSlot | undefined;
  /** Subtrees where a secret may go: only they render with `secrets` revealed. */
  secret?: (path: SlotPath) => boolean;
}

/** `predicates`: the named predicates the intent's templates may test with. */
export function compileTree(value: unknown, slots: TreeSlots = {}, predicates?: PredicateTable, path: SlotPath = [], inSecret = false): TemplateTree {
  if (!inSecret && slots.secret?.(path)) {
    const inner = compileTree(value, slots, predicates, path, true);
    return inner.t === "literal" ? inner : Object.freeze({ t: "secrets", reveal: true, tree: inner });
  }
  if (typeof value === "string") {
    if (!value.includes("{{")) return { t: "literal", value };
    const slot = slots.url?.(path);
    if (!slot) return { t: "template", template: compileTemplate(value, predicates) };
    const url: TemplateTree = { t: "template", template: compileUrlTemplate(value, slot, predicates) };
    // A URL names an object and ends up in logs: it never sees a secret, even inside a body.
    return inSecret ? Object.freeze({ t: "secrets", reveal: false, tree: url }) : url;
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileTree(item, slots, predicates, [...path, i], inSecret));
    // A subtree without templates renders to the same value every time: one frozen copy serves all.
    if (items.every((item) => item.t === "literal")) return Object.freeze({ t: "literal", value: deepFreeze(structuredClone(value)) });
    return Object.freeze({ t: "array", items: Object.freeze(items) });
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => Object.freeze([k, compileTree(v, slots, predicates, [...path, k], inSecret)] as const));
    if (entries.every(([, child]) => child.t === "literal")) return Object.freeze({ t: "literal", value: deepFreeze(structuredClone(value)) });
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
    case "secrets":
      return renderTree(tree.tree, tree.reveal ? revealSecrets(scope) : guardSecrets(scope));
    case "array": {
      const out: unknown[] = [];
      for (const item of tree.items) out.push(renderTree(item, scope));
      return out;
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, child] of tree.entries) {
        // Defined, not assigned, so a key named `__proto__` stays an ordinary key.
        if (key === "__proto__") Object.defineProperty(out, key, { value: renderTree(child, scope), enumerable: true, writable: true, configurable: true });
        else out[key] = renderTree(child, scope);
      }
      return out;
    }
  }
}
