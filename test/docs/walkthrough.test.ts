/**
 * The walkthrough in docs/intent-language.md works as written: its intent lints clean with the
 * shipped libraries and its cases pass against the sandbox.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintPaths, loadCatalog } from "../../engine/index";
import { runCaseFiles, selectCaseFiles } from "../../engine/tooling/cases";
import { builtinKindSpecs } from "../../engine/kinds";

const doc = readFileSync(join(__dirname, "../../docs/intent-language.md"), "utf8");
const walkthrough = doc.slice(doc.indexOf("## Walkthrough"));

/** The walkthrough's YAML blocks that say which file they are. */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, body] of walkthrough.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const name = /^# file: (.+)$/m.exec(body!)?.[1];
    if (name) out[name] = body!;
  }
  return out;
}

describe("the walkthrough", () => {
  it("lints clean and its cases pass", async () => {
    const root = mkdtempSync(join(tmpdir(), "walkthrough-"));
    cpSync(join(__dirname, "../../intents/shared"), join(root, "intents", "shared"), { recursive: true });
    const written = files();
    expect(Object.keys(written).sort()).toEqual(["intents/cases/set-job-title.cases.yaml", "intents/set-job-title.yaml"]);
    for (const [name, body] of Object.entries(written)) {
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), body);
    }
    const dir = join(root, "intents");
    expect(lintPaths([dir], builtinKindSpecs()).diagnostics).toEqual([]);
    const outcomes = await runCaseFiles(selectCaseFiles(loadCatalog(builtinKindSpecs(), dir)));
    expect(outcomes.map((o) => [o.name, o.problems])).toEqual(outcomes.map((o) => [o.name, []]));
    expect(outcomes).toHaveLength(3);
  });
});
