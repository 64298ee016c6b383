/**
 * A starting process must not load Ajv's compiler: the build precompiles the validators a running
 * app needs (dist/precompiled-validators), and loading Ajv and compiling one schema at module load
 * costs ~80 ms of every cold start. So Ajv is required where a schema is compiled, on first use,
 * never imported as a value at the top of a module (a type import costs nothing).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modules, ROOT } from "./imports";

/** Build-time modules: run by `npm run build`, never by a starting app. */
const BUILD_TIME = new Set(["engine/language/spec/precompile.ts"]);

/**
 * `import X from "ajv"`, `import { x } from "ajv-formats"`, `import "ajv/…"`: a value import,
 * evaluated when the module loads. ajv-formats' table of formats (`ajv-formats/dist/formats`) is
 * plain data and loads no compiler.
 */
const VALUE_IMPORT = /^import\s+(?!type\s)(?:[^;]*?\sfrom\s+)?["'](ajv|ajv-formats)(\/(?!dist\/formats["'])[^"']*)?["']/gm;

describe("the start path", () => {
  it("imports Ajv's compiler in no module a running app loads", () => {
    const offenders = modules()
      .filter((file) => !BUILD_TIME.has(file))
      .flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(VALUE_IMPORT)].map((found) => `${file}: ${found[0]}`));
    expect(offenders).toEqual([]);
  });

  it("recognises a value import of Ajv and lets a type import pass", () => {
    const find = (text: string) => [...text.matchAll(VALUE_IMPORT)].length;
    expect(find('import Ajv from "ajv";')).toBe(1);
    expect(find('import addFormats from "ajv-formats";')).toBe(1);
    expect(find('import standaloneCode from "ajv/dist/standalone";')).toBe(1);
    expect(find('import type { ValidateFunction } from "ajv";')).toBe(0);
    expect(find('import type Ajv from "ajv";')).toBe(0);
    expect(find('import { fullFormats } from "ajv-formats/dist/formats";')).toBe(0);
  });
});
