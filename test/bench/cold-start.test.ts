import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measureColdStart } from "../../bench/cold-start";
import { measureLoad } from "../../bench/load-time";
import { DEFAULT_INTENTS_DIR, builtinKindSpecs, loadCatalog } from "../../engine/index";

describe("bench: the compiled build", () => {
  it("loads the shipped intents from dist/ in a fresh process", async () => {
    const figure = await measureLoad(DEFAULT_INTENTS_DIR, 1, 1, "compiled");
    expect(figure.intents).toBe(loadCatalog(builtinKindSpecs()).intents.length);
    expect(figure.coldMs).toBeGreaterThan(0);
    expect(figure.source).toBe("snapshot");
  }, 120_000);

  it("times a fresh server process from spawn to its first webhook answered", async () => {
    const figure = await measureColdStart(1);
    expect(figure.listeningMs).toBeGreaterThan(0);
    expect(figure.firstAnswerMs).toBeGreaterThan(figure.listeningMs);
    // The server's own CPU time to its first answer, read from /proc where there is one.
    if (process.platform === "linux") expect(figure.serverCpuMs).toBeGreaterThan(0);
    else expect(figure.serverCpuMs).toBeUndefined();
    // The build's snapshot of the shipped intents, not the YAML compiled at start.
    expect(figure.catalog).toBe("snapshot");
    // With the build's code cache, which V8 takes under the Node that made it (CI's other Node refuses it).
    const made = (JSON.parse(readFileSync(join(__dirname, "..", "..", "dist", "cli.js.code-cache.json"), "utf8")) as { node: string }).node;
    expect(figure.codeCache).toBe(made === process.version ? "accepted" : "rejected");
  }, 180_000);
});
