// Prints the suite's closing lines from the static checks' results (checks.jsonl: one
// {"name","ok"} per line, each counted as one test) and the Vitest and Playwright JSON reports:
// one line per check and per runner, and the total "N passed, N failed, N skipped".
// Exits 1 when a report is missing or empty, so "no tests ran" never passes.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const dir = process.argv[2] ?? "test-reports";
const totals = { passed: 0, failed: 0, skipped: 0 };
let healthy = true;

function read(file) {
  const full = path.join(dir, file);
  if (!existsSync(full)) return null;
  try {
    return JSON.parse(readFileSync(full, "utf8"));
  } catch {
    return null;
  }
}

function add(name, counts) {
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  if (counts.passed + counts.failed === 0) {
    console.log(`${name}: no tests ran`);
    healthy = false;
  }
}

const checksFile = path.join(dir, "checks.jsonl");
if (existsSync(checksFile)) {
  for (const line of readFileSync(checksFile, "utf8")
    .split("\n")
    .filter((text) => text.trim())) {
    let check;
    try {
      check = JSON.parse(line);
    } catch {
      console.log(`checks: unreadable line ${JSON.stringify(line)}`);
      healthy = false;
      continue;
    }
    add(check.name, { passed: check.ok ? 1 : 0, failed: check.ok ? 0 : 1, skipped: 0 });
  }
} else {
  console.log("checks: no report");
  healthy = false;
}

const vitest = read("vitest.json");
if (vitest) {
  add("vitest", {
    passed: vitest.numPassedTests ?? 0,
    failed: vitest.numFailedTests ?? 0,
    skipped: (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0),
  });
  // numFailedTestSuites counts describe blocks with a failing test too; a file that failed to run
  // (an import or a hook outside any test threw) is one whose result has no test in it.
  const brokenFiles = (vitest.testResults ?? []).filter(
    (file) => file.status === "failed" && (file.assertionResults ?? []).length === 0,
  );
  for (const file of brokenFiles)
    console.log(`vitest: failed to run ${file.name}: ${(file.message ?? "").split("\n")[0]}`);
  if (brokenFiles.length > 0) healthy = false;
} else {
  console.log("vitest: no report");
  healthy = false;
}

// The tests of processes on the built server (test-all.sh runs them after the build); absent when the build failed.
const builtServer = read("vitest-built.json");
if (builtServer) {
  add("vitest (built server)", {
    passed: builtServer.numPassedTests ?? 0,
    failed: builtServer.numFailedTests ?? 0,
    skipped: (builtServer.numPendingTests ?? 0) + (builtServer.numTodoTests ?? 0),
  });
}

const e2e = read("e2e.json");
if (e2e?.stats) {
  add("playwright", {
    passed: (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0),
    failed: e2e.stats.unexpected ?? 0,
    skipped: e2e.stats.skipped ?? 0,
  });
} else {
  console.log("playwright: no report");
  healthy = false;
}

console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(healthy && totals.failed === 0 ? 0 : 1);
