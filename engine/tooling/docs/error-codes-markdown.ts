import { ERROR_CODES } from "../../core/errors";

/** The README's error-code table, made from engine/core/errors.ts so the two cannot drift apart. */
export function renderErrorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning.replaceAll("|", "\\|")} |`);
  return ["| code | meaning |", "|---|---|", ...rows].join("\n") + "\n";
}
