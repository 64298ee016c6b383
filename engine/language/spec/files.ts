/** Which files under an intents folder are intent or library files (case files are not). */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** `<repo>/intents`, from the sources (engine/language/spec) or from a build (dist/engine/language/spec). */
export const DEFAULT_INTENTS_DIR =
  [join(__dirname, "..", "..", "..", "intents"), join(__dirname, "..", "..", "..", "..", "intents")].find((dir) => existsSync(dir)) ?? join(__dirname, "..", "..", "..", "intents");

/** YAML files under each path (a file, or a directory searched recursively), sorted; case files left out. */
export function yamlFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name));
    } else if (/\.ya?ml$/.test(path) && !/\.cases\.ya?ml$/.test(path)) {
      files.push(path);
    }
  };
  paths.forEach(visit);
  return files;
}

/** Intent and library files under each path, sorted. */
export function intentFiles(paths: string[]): string[] {
  return yamlFiles(paths);
}
