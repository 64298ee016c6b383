import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { relative } from "node:path";
import { defaultManifestPath } from "../../engine/contracts/runbook-manifest";
import { DEFAULT_INTENTS_DIR } from "../../engine/language/spec/catalog";
import { engineIdentity, sha256, SNAPSHOT_FORMAT } from "../../engine/language/spec/snapshot";
import { RUNTIME_FILES, buildPackage, productionPackagePaths } from "../../scripts/package";

const ROOT = join(__dirname, "..", "..");

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** What the build leaves beside the compiled engine: its stamp and the snapshot of the intents as they are now. */
function writeBuild(root: string): void {
  write(root, "dist/build-stamp.json", JSON.stringify({ sources: "fingerprint" }));
  write(root, "dist/precompiled-validators/webhook.js", "");
  for (const file of ["function-app.js", "function-app.js.map", "function-app.js.LEGAL.txt"]) write(root, `dist/${file}`, "");
  const files = Object.fromEntries(readdirSync(join(root, "intents")).map((file) => [file, sha256(readFileSync(join(root, "intents", file)))]));
  write(root, "dist/catalog-snapshot.json", JSON.stringify({ format: SNAPSHOT_FORMAT, engine: engineIdentity(join(root, "dist")), files, intents: [] }));
}

describe("productionPackagePaths", () => {
  it("keeps production packages, nested ones included, and drops dev-only ones", () => {
    const paths = productionPackagePaths({
      packages: {
        "": {},
        "node_modules/yaml": {},
        "node_modules/vitest": { dev: true },
        "node_modules/fsevents": { dev: true, optional: true },
        "node_modules/esbuild": { devOptional: true },
        "node_modules/a/node_modules/b": {},
      },
    });
    expect(paths).toEqual(["node_modules/a/node_modules/b", "node_modules/yaml"]);
  });

  it("finds the runtime dependencies and no test tooling in the real lockfile", () => {
    const paths = productionPackagePaths(JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")));
    expect(paths).toEqual(expect.arrayContaining(["node_modules/@azure/functions", "node_modules/yaml", "node_modules/@azure/data-tables"]));
    expect(paths).not.toContain("node_modules/vitest");
    expect(paths).not.toContain("node_modules/typescript");
    expect(paths).not.toContain("node_modules/azurite");
  });
});

describe("package layout", () => {
  // The compiled engine sits in dist/engine; each data file must be where the engine's
  // __dirname-relative lookup lands from there, as it does from engine/ in the repository.
  it("puts the intents and the runbook manifest where the compiled engine looks for them", () => {
    const fromEngine = (path: string): string => relative(join(ROOT, "engine"), path);
    const packaged = (file: string): string => relative("dist/engine", RUNTIME_FILES[file] as string);
    expect(packaged("intents")).toBe(fromEngine(DEFAULT_INTENTS_DIR));
    expect(packaged("runbooks/runbooks.json")).toBe(fromEngine(defaultManifestPath()));
    // engine/contracts/graph-metadata/schema.ts reads the index beside itself; the loader and lint need it.
    const index = "engine/contracts/graph-metadata/graph-v1.0.index.json";
    expect(packaged(index)).toBe(fromEngine(join(ROOT, index)));
    expect(RUNTIME_FILES["host.json"]).toBe("host.json");
  });
});

describe("buildPackage", () => {
  it("zips compiled code, runtime files and production dependencies only, with a trimmed package.json", () => {
    const root = mkdtempSync(join(tmpdir(), "package-root-"));
    write(root, "package.json", JSON.stringify({ name: "x", version: "1.2.3", main: "dist/function-app.js", scripts: { test: "vitest" }, dependencies: { prod: "1.0.0" }, devDependencies: { devonly: "1.0.0" } }));
    write(root, "package-lock.json", JSON.stringify({ packages: { "": {}, "node_modules/prod": {}, "node_modules/prod/node_modules/inner": {}, "node_modules/devonly": { dev: true } } }));
    write(root, "node_modules/prod/index.js", "module.exports = 1;");
    write(root, "node_modules/prod/node_modules/inner/index.js", "module.exports = 2;");
    write(root, "node_modules/devonly/index.js", "");
    write(root, "dist/engine/hosts/functions/intent.js", "");
    write(root, "dist/test/should-not-ship.js", "");
    write(root, "host.json", "{}");
    write(root, "intents/password-reset.yaml", "name: x");
    write(root, "schemas/intent.schema.json", "{}");
    write(root, "runbooks/runbooks.json", "{}");
    write(root, "runbooks/Convert-ToSharedMailbox.ps1", "");
    write(root, "engine/contracts/graph-metadata/graph-v1.0.index.json", "{}");
    write(root, "engine/contracts/graph-metadata/LICENSE-graph-metadata.txt", "MIT");
    writeBuild(root);

    const { zip, dependencies } = buildPackage({ root, compile: false });
    expect(zip).toBe(join(root, "dist", "function-app.zip"));
    expect(dependencies).toBe(2);
    const listing = execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).split("\n").filter((l) => l && !l.endsWith("/")).sort();
    expect(listing).toEqual([
      "dist/build-stamp.json",
      "dist/catalog-snapshot.json",
      "dist/engine/contracts/graph-metadata/LICENSE-graph-metadata.txt",
      "dist/engine/contracts/graph-metadata/graph-v1.0.index.json",
      "dist/engine/hosts/functions/intent.js",
      "dist/function-app.js",
      "dist/function-app.js.LEGAL.txt",
      "dist/function-app.js.map",
      "dist/intents/password-reset.yaml",
      "dist/precompiled-validators/webhook.js",
      "dist/runbooks/runbooks.json",
      "dist/schemas/intent.schema.json",
      "host.json",
      "node_modules/prod/index.js",
      "node_modules/prod/node_modules/inner/index.js",
      "package.json",
    ]);
    const shipped = JSON.parse(execFileSync("unzip", ["-p", zip, "package.json"], { encoding: "utf8" }));
    expect(shipped).toEqual({ name: "x", version: "1.2.3", private: true, main: "dist/function-app.js", dependencies: { prod: "1.0.0" } });
  });

  it("refuses to package intents that changed since the build validated them", () => {
    const root = mkdtempSync(join(tmpdir(), "package-root-"));
    write(root, "package.json", JSON.stringify({ name: "x", version: "1.2.3" }));
    write(root, "intents/password-reset.yaml", "name: x");
    writeBuild(root);
    write(root, "intents/password-reset.yaml", "name: y");
    expect(() => buildPackage({ root, compile: false })).toThrow("dist/catalog-snapshot.json does not match: password-reset.yaml changed since.");
    rmSync(join(root, "dist", "catalog-snapshot.json"));
    expect(() => buildPackage({ root, compile: false })).toThrow("dist/catalog-snapshot.json is missing");
  });

  it("refuses to package without a file the app needs at run time", () => {
    const root = mkdtempSync(join(tmpdir(), "package-root-"));
    write(root, "package.json", "{}");
    write(root, "dist/engine/index.js", "");
    write(root, "intents/a.yaml", "name: x");
    writeBuild(root);
    expect(() => buildPackage({ root, compile: false })).toThrow("host.json is missing; the package needs it.");
  });
});
