import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CI reads the plain `N passed, N failed` line that .ci/run derives from this JSON report.
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
