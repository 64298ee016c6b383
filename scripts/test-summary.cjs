#!/usr/bin/env node
// Prints vitest's JSON reports as the one plain line CI reads: `N passed, N failed[, N skipped]`,
// summed over every run given (`label=file` or `file`), after one line per run that CI does not read
// and one line per failed test (file and full name), so a short excerpt of CI's output says what failed.
const fs = require("node:fs");
const runs = (process.argv.length > 2 ? process.argv.slice(2) : [".vitest-results.json"]).map((arg) => {
  const at = arg.indexOf("=");
  return at < 0 ? { label: arg, file: arg } : { label: arg.slice(0, at), file: arg.slice(at + 1) };
});
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const { label, file } of runs) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    // A run that left no report (it could not start) counts as one failure.
    console.log(`${label}: no test report (${file})`);
    failed += 1;
    ok = false;
    continue;
  }
  const runPassed = report.numPassedTests ?? 0;
  const runFailed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const runSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (runs.length > 1) console.log(`${label}: ${runPassed} of ${report.numTotalTests ?? runPassed + runFailed} tests passed`);
  for (const line of failedTests(report)) console.log(`${label}: FAILED ${line}`);
  passed += runPassed;
  failed += runFailed;
  skipped += runSkipped;
  if (runFailed > 0 || report.success === false) ok = false;
}
function failedTests(report) {
  const lines = [];
  for (const file of report.testResults ?? []) {
    const where = String(file.name ?? "").replace(process.cwd() + "/", "");
    const failed = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failed) lines.push(`${where} > ${test.fullName ?? test.title}`);
    // A file that failed to load has no failed test of its own, only its message.
    if (failed.length === 0 && file.status === "failed") lines.push(`${where} (${String(file.message ?? "did not run").split("\n")[0]})`);
  }
  return lines;
}

console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
process.exit(ok && failed === 0 ? 0 : 1);
