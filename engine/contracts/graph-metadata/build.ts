/**
 * Derives the compact Graph index from Microsoft's v1.0 CSDL. The CSDL is pretty-printed one
 * element per line, so a line scanner is enough and keeps us free of an XML dependency.
 */
import type { GraphIndexData, OperationEntry, TypeEntry } from "./types";

const MAIN_NAMESPACE = "microsoft.graph.";

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of tag.matchAll(/(\w+)="([^"]*)"/g)) attrs[match[1] as string] = match[2] as string;
  return attrs;
}

/** Index type names drop the main namespace: "microsoft.graph.user" → "user", "microsoft.graph.security.user" → "security.user". */
function shortName(fullName: string): string {
  return fullName.startsWith(MAIN_NAMESPACE) ? fullName.slice(MAIN_NAMESPACE.length) : fullName;
}

/** Primitive types whose literal is not text: a value of the wrong JSON type is a 400 from Graph. */
const SCALAR_KINDS: Readonly<Record<string, "boolean" | "number">> = {
  "Edm.Boolean": "boolean",
  "Edm.Byte": "number",
  "Edm.SByte": "number",
  "Edm.Int16": "number",
  "Edm.Int32": "number",
  "Edm.Int64": "number",
  "Edm.Single": "number",
  "Edm.Double": "number",
  "Edm.Decimal": "number",
};

/** Builds the index from the CSDL text. */
export function buildGraphIndex(csdl: string): GraphIndexData {
  const aliases = new Map<string, string>();
  for (const match of csdl.matchAll(/<Schema ([^>]*)>/g)) {
    const attrs = attributes(match[1] as string);
    if (attrs.Namespace && attrs.Alias) aliases.set(attrs.Alias, attrs.Namespace);
  }
  const structured = new Set<string>();
  for (const match of csdl.matchAll(/<(?:EntityType|ComplexType) Name="([^"]+)"/g)) structured.add(match[1] as string);

  let namespace = "";
  const qualify = (name: string): string => {
    const dot = name.indexOf(".");
    const head = dot < 0 ? name : name.slice(0, dot);
    const alias = aliases.get(head);
    return alias ? alias + name.slice(head.length) : name;
  };
  /** "" for primitives and enums; the short type name (with "*" for collections) otherwise. */
  const typeRef = (raw: string): string => {
    const collection = raw.startsWith("Collection(");
    const inner = qualify(collection ? raw.slice(11, -1) : raw);
    if (inner.startsWith("Edm.")) return collection ? "*" : "";
    const local = inner.slice(inner.lastIndexOf(".") + 1);
    if (!structured.has(local)) return collection ? "*" : ""; // enum or type definition
    return shortName(inner) + (collection ? "*" : "");
  };

  const index: GraphIndexData = { types: {}, roots: {}, operations: {} };
  let currentType: TypeEntry | undefined;
  let currentOp: { entry: OperationEntry; name: string; binding?: string } | undefined;
  let inContainer = false;

  for (const line of csdl.split("\n")) {
    const tag = line.trim();
    if (!tag.startsWith("<")) continue;
    const name = /^<\/?(\w+)/.exec(tag)?.[1];
    const attrs = attributes(tag);
    const selfClosing = tag.endsWith("/>");
    const closing = tag.startsWith("</");
    switch (name) {
      case "Schema":
        if (!closing && attrs.Namespace) namespace = attrs.Namespace;
        break;
      case "EntityType":
      case "ComplexType":
        if (closing) { currentType = undefined; break; }
        currentType = { kind: name === "EntityType" ? "entity" : "complex", properties: {}, navigation: {} };
        if (attrs.BaseType) currentType.base = shortName(qualify(attrs.BaseType));
        if (attrs.OpenType === "true") currentType.open = true;
        index.types[shortName(`${namespace}.${attrs.Name}`)] = currentType;
        if (selfClosing) currentType = undefined;
        break;
      case "Property":
        if (currentType && attrs.Name && attrs.Type) {
          currentType.properties[attrs.Name] = typeRef(attrs.Type);
          const scalar = SCALAR_KINDS[qualify(attrs.Type)];
          if (scalar) (currentType.scalars ??= {})[attrs.Name] = scalar;
        }
        break;
      case "NavigationProperty":
        if (currentType && attrs.Name && attrs.Type) currentType.navigation[attrs.Name] = typeRef(attrs.Type);
        break;
      case "Action":
      case "Function":
        if (closing || selfClosing) {
          if (closing && currentOp?.binding) (index.operations[currentOp.binding] ??= {})[currentOp.name] = currentOp.entry;
          currentOp = undefined;
          break;
        }
        currentOp = attrs.IsBound === "true" ? { name: attrs.Name ?? "", entry: { kind: name === "Action" ? "action" : "function", parameters: [] } } : undefined;
        break;
      case "Parameter":
        if (!currentOp || !attrs.Name || !attrs.Type) break;
        if (currentOp.binding === undefined) currentOp.binding = typeRef(attrs.Type);
        else currentOp.entry.parameters.push(attrs.Name);
        break;
      case "ReturnType":
        if (currentOp && attrs.Type) currentOp.entry.returns = typeRef(attrs.Type);
        break;
      case "EntityContainer":
        inContainer = !closing;
        break;
      case "EntitySet":
        if (inContainer && attrs.Name && attrs.EntityType) index.roots[attrs.Name] = typeRef(attrs.EntityType) + "*";
        break;
      case "Singleton":
        if (inContainer && attrs.Name && attrs.Type) index.roots[attrs.Name] = typeRef(attrs.Type);
        break;
      default:
        break;
    }
  }
  return index;
}
