/**
 * Builds engine/contracts/graph-metadata/graph-v1.0.index.json from Microsoft's Graph v1.0 CSDL
 * (microsoftgraph/msgraph-metadata, MIT; vendored in vendor/graph-metadata). The sandbox and the
 * linter only need names, so the 3 MB of XML shrinks to a compact JSON index (see
 * engine/contracts/graph-metadata/types.ts).
 *
 * Usage: node bin/run-ts.cjs scripts/build-graph-index.ts [csdl-path (.gz or plain)] [out-path]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildGraphIndex } from "../engine/contracts/graph-metadata/build";
import { readCsdl, VENDORED_CSDL } from "./graph-csdl";

const DEFAULT_OUT = join(__dirname, "..", "engine", "contracts", "graph-metadata", "graph-v1.0.index.json");

const [csdlPath = VENDORED_CSDL, outPath = DEFAULT_OUT] = process.argv.slice(2);
const json = JSON.stringify(buildGraphIndex(readCsdl(csdlPath)));
writeFileSync(outPath, json + "\n");
process.stdout.write(`wrote ${outPath} (${json.length} bytes)\n`);
