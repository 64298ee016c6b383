/** Type-level queries over the compact Graph v1.0 index: properties, inheritance, bound operations. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suggestName } from "./suggest";
import type { GraphIndexData, OperationEntry, TypeEntry } from "./types";


const MAIN_NAMESPACE = "microsoft.graph.";
let loaded: GraphIndexData | undefined;

/** The index, read once on first use (it is ~700 KB, so `intents lint` without Graph steps skips it). */
export function graphIndex(): GraphIndexData {
  loaded ??= JSON.parse(readFileSync(join(__dirname, "graph-v1.0.index.json"), "utf8")) as GraphIndexData;
  return loaded;
}

/** "microsoft.graph.user" for the index name "user", as Graph spells types in its messages. */
export function qualifiedTypeName(typeName: string): string {
  return MAIN_NAMESPACE + typeName;
}

function typeEntry(typeName: string): TypeEntry | undefined {
  return graphIndex().types[typeName];
}

const lineages = new Map<string, readonly string[]>();

/** The type and its ancestors, nearest first. */
function lineage(typeName: string): readonly string[] {
  let chain = lineages.get(typeName);
  if (chain) return chain;
  const names: string[] = [];
  for (let name: string | undefined = typeName; name && !names.includes(name); name = typeEntry(name)?.base) names.push(name);
  lineages.set(typeName, (chain = Object.freeze(names)));
  return chain;
}

export function isTypeOrSubtype(typeName: string, ancestor: string): boolean {
  return lineage(typeName).includes(ancestor);
}

export interface PropertyInfo {
  name: string;
  /** Type reference: "" primitive/enum, "*" collection of those, else a type name (with "*" for a collection). */
  type: string;
  navigation: boolean;
  /** The type that declares it (the type itself or an ancestor). */
  declaredOn: string;
}

/** Every structural and navigation property of a type, inherited ones included. */
export function listProperties(typeName: string): readonly PropertyInfo[] {
  return propertyTable(typeName).all;
}

interface PropertyTable {
  all: readonly PropertyInfo[];
  byName: Map<string, PropertyInfo>;
  byLowerName: Map<string, PropertyInfo>;
}

// The index never changes, and the linter and the sandbox ask about the same few types again and
// again, so each type's properties are gathered once.
const tables = new Map<string, PropertyTable>();

function propertyTable(typeName: string): PropertyTable {
  let table = tables.get(typeName);
  if (table) return table;
  const all: PropertyInfo[] = [];
  for (const name of lineage(typeName)) {
    const entry = typeEntry(name);
    if (!entry) continue;
    for (const [prop, type] of Object.entries(entry.properties)) all.push({ name: prop, type, navigation: false, declaredOn: name });
    for (const [prop, type] of Object.entries(entry.navigation)) all.push({ name: prop, type, navigation: true, declaredOn: name });
  }
  const byName = new Map<string, PropertyInfo>();
  const byLowerName = new Map<string, PropertyInfo>();
  // Nearest declaration first, as a search of the list would find it.
  for (const property of all) {
    if (!byName.has(property.name)) byName.set(property.name, property);
    if (!byLowerName.has(property.name.toLowerCase())) byLowerName.set(property.name.toLowerCase(), property);
  }
  tables.set(typeName, (table = { all: Object.freeze(all), byName, byLowerName }));
  return table;
}

export function findProperty(typeName: string, propertyName: string): PropertyInfo | undefined {
  // Graph matches property names without regard to case (real calls send "message" for "Message").
  const table = propertyTable(typeName);
  return table.byName.get(propertyName) ?? table.byLowerName.get(propertyName.toLowerCase());
}

/**
 * A property of the type or of any type derived from it: Graph accepts `$select=displayName` on a
 * collection of directoryObjects because users and groups have it.
 */
export function findPropertyInSubtypes(typeName: string, propertyName: string): PropertyInfo | undefined {
  const direct = findProperty(typeName, propertyName);
  if (direct) return direct;
  for (const candidate of Object.keys(graphIndex().types)) {
    if (candidate === typeName || !isTypeOrSubtype(candidate, typeName)) continue;
    const found = findProperty(candidate, propertyName);
    if (found) return found;
  }
  return undefined;
}

/** A bound action or function on a type reference ("user" or "user*"), inherited bindings included. */
export function findOperation(typeRef: string, name: string): OperationEntry | undefined {
  const collection = typeRef.endsWith("*");
  for (const ancestor of lineage(collection ? typeRef.slice(0, -1) : typeRef)) {
    const op = graphIndex().operations[collection ? `${ancestor}*` : ancestor]?.[name];
    if (op) return op;
  }
  return undefined;
}

function operationNames(typeRef: string): string[] {
  const collection = typeRef.endsWith("*");
  return lineage(collection ? typeRef.slice(0, -1) : typeRef).flatMap((t) =>
    Object.keys(graphIndex().operations[collection ? `${t}*` : t] ?? {}),
  );
}

/** Names that could follow a path whose target is `typeRef`, for did-you-mean. */
export function segmentCandidates(typeRef: string): string[] {
  if (typeRef.endsWith("*")) return operationNames(typeRef);
  return [...listProperties(typeRef).map((p) => p.name), ...operationNames(typeRef)];
}

/** The index name of a type from a segment or @odata.type value ("#microsoft.graph.group" → "group"). */
export function typeFromQualifiedName(name: string): string | undefined {
  const bare = name.startsWith("#") ? name.slice(1) : name;
  if (!bare.startsWith(MAIN_NAMESPACE)) return undefined;
  const short = bare.slice(MAIN_NAMESPACE.length);
  return typeEntry(short) ? short : undefined;
}

export function suggestProperty(typeName: string, misspelt: string): string | undefined {
  return suggestName(misspelt, listProperties(typeName).map((p) => p.name));
}
