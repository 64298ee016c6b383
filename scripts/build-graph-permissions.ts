/**
 * Builds engine/contracts/graph-permissions/graph-permissions.index.json from Microsoft's Graph
 * permission reference (microsoftgraph/microsoft-graph-devx-content, permissions/new/permissions.json,
 * MIT): which application permissions grant which API paths and methods, and which is least
 * privileged (see engine/contracts/graph-permissions/types.ts).
 *
 * Usage: node bin/run-ts.cjs scripts/build-graph-permissions.ts [permissions.json] [out-path]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPermissionIndex } from "../engine/contracts/graph-permissions/build";

const DEFAULT_SOURCE = join(__dirname, "..", "..", "shared", "data", "graph-permissions", "permissions.json");
const DEFAULT_OUT = join(__dirname, "..", "engine", "contracts", "graph-permissions", "graph-permissions.index.json");

const [sourcePath = DEFAULT_SOURCE, outPath = DEFAULT_OUT] = process.argv.slice(2);
const json = JSON.stringify(buildPermissionIndex(JSON.parse(readFileSync(sourcePath, "utf8"))));
writeFileSync(outPath, json + "\n");
process.stdout.write(`wrote ${outPath} (${json.length} bytes)\n`);
