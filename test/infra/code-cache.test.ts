/**
 * The command line's bundle starts with the V8 code cache the build made for it (scripts/code-cache.cjs,
 * bin/load-bundle.cjs): used only when it was made from the bundle's exact text, refused by V8 under
 * another Node (the bundle then compiles as usual), and never a reason for the bundle to load wrongly.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const LOADER = join(ROOT, "bin", "load-bundle.cjs");
const CLI = join(ROOT, "dist", "cli.js");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { codeCachePaths, sourceDigest } = require(LOADER) as { codeCachePaths(bundle: string): { data: string; key: string }; sourceDigest(source: string): string };

/** Loads `bundle` through the loader in a fresh process and runs `then` (JavaScript, with `exports` bound); prints what the loader said about the cache. */
function loadInChild(bundle: string, then = ""): { cache: string; out: string } {
  const script = `
    const bundles = require(${JSON.stringify(LOADER)});
    const exports = bundles.loadBundle(${JSON.stringify(bundle)});
    process.stdout.write(JSON.stringify({ cache: bundles.codeCacheUse(${JSON.stringify(bundle)}), same: require(${JSON.stringify(bundle)}) === exports }) + "\\n");
    ${then}
  `;
  const out = execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  const first = JSON.parse(out.split("\n")[0] as string) as { cache: string; same: boolean };
  expect(first.same, "a later require of the bundle gets the same module").toBe(true);
  return { cache: first.cache, out: out.split("\n").slice(1).join("\n") };
}

beforeAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compiledIsCurrent } = require(join(ROOT, "bin", "compiled.cjs")) as { compiledIsCurrent(): boolean };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!compiledIsCurrent() || !existsSync(codeCachePaths(CLI).data)) (require(join(ROOT, "scripts", "build.cjs")) as { build(): number }).build();
}, 300_000);

describe("the command line's code cache", () => {
  it("is made by the build from dist/cli.js as it is, and V8 takes it under the Node that made it", () => {
    const key = JSON.parse(readFileSync(codeCachePaths(CLI).key, "utf8")) as { source: string; node: string };
    expect(key.source).toBe(sourceDigest(readFileSync(CLI, "utf8")));
    // CI also runs the suite on another Node over the same build: there V8 refuses the cache and the bundle compiles as usual.
    const { cache, out } = loadInChild(CLI, 'exports.main(["--help"]).then((code) => process.stdout.write("exit " + code + "\\n"));');
    expect(cache).toBe(key.node === process.version ? "accepted" : "rejected");
    expect(out).toContain("usage: intents <command>");
    expect(out).toContain("exit 0");
  }, 60_000);

  it("is not used for a bundle whose text differs from the one it was made from, even by one byte of the same length", () => {
    // Beside dist/cli.js: the bundle finds the files its modules read from their compiled twins' folders.
    const bundle = join(ROOT, "dist", `cli-changed-${process.pid}.js`);
    const text = readFileSync(CLI, "utf8");
    // V8 checks only the length of the source; the loader checks its digest.
    const changed = text.replace("usage: intents <command>", "usage: intents <Command>");
    expect(changed.length).toBe(text.length);
    writeFileSync(bundle, changed);
    copyFileSync(codeCachePaths(CLI).data, codeCachePaths(bundle).data);
    copyFileSync(codeCachePaths(CLI).key, codeCachePaths(bundle).key);
    try {
      const { cache, out } = loadInChild(bundle, 'exports.main(["--help"]).then(() => undefined);');
      expect(cache).toBe("none");
      expect(out).toContain("usage: intents <Command>");
    } finally {
      for (const file of [bundle, codeCachePaths(bundle).data, codeCachePaths(bundle).key]) rmSync(file, { force: true });
    }
  }, 60_000);

  it("a cache V8 cannot read is refused and the bundle runs as without one", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-cache-"));
    const bundle = join(dir, "tiny.js");
    const own = JSON.stringify(join(ROOT, "bin", "compiled.cjs"));
    writeFileSync(bundle, `exports.answer = () => 42; exports.load = () => Promise.all([import("node:path"), import(${own})]).then(([path, own]) => typeof path.join + " " + typeof own.loadModule);`);
    writeFileSync(codeCachePaths(bundle).data, Buffer.alloc(4096, 7));
    writeFileSync(codeCachePaths(bundle).key, JSON.stringify({ source: sourceDigest(readFileSync(bundle, "utf8")) }));
    // import() inside a bundle the loader compiled (the packages loaded on use) still resolves.
    const { cache, out } = loadInChild(bundle, 'exports.load().then((kind) => process.stdout.write(exports.answer() + " " + kind + "\\n"));');
    expect(cache).toBe("rejected");
    expect(out.trim()).toBe("42 function function");
  }, 60_000);

  it("without a cache the bundle is required as any module", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-cache-"));
    const bundle = join(dir, "tiny.js");
    writeFileSync(bundle, "exports.answer = () => 42;");
    const { cache, out } = loadInChild(bundle, 'process.stdout.write(exports.answer() + "\\n");');
    expect(cache).toBe("none");
    expect(out.trim()).toBe("42");
  }, 60_000);
});
