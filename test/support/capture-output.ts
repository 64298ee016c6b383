import { vi } from "vitest";

/** Runs a CLI command module in-process and returns its exit code and what it wrote. */
export async function captured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await run(), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
