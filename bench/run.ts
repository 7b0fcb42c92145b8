// `npm run bench` (via scripts/bench.sh): every figure of issue #7, one line
// each, then the JSON file. A section that breaks fails the run; a missed
// target is only reported (MISS).
import { benchConfig } from "./config";
import { openBenchDatabase } from "./databases";
import { machineInfo } from "./machine";
import { measureQueries } from "./queries";
import { createReport } from "./report";

async function main(): Promise<void> {
  const config = benchConfig();
  const startedAt = new Date();
  const report = createReport();
  console.log(`# fleetpin bench (${config.smoke ? "smoke" : "full"}): sizes ${config.querySizes.join(", ")}; output ${config.output}`);

  for (const backend of config.backends) {
    for (const rows of config.querySizes) {
      const database = await openBenchDatabase(backend);
      try {
        await measureQueries(report, database, rows, config);
      } finally {
        await database.close();
      }
    }
  }

  await report.write(config.output, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    smoke: config.smoke,
    config,
    machine: await machineInfo(),
  });
  const missed = report.figures.filter((figure) => figure.verdict === "MISS").length;
  console.log(`# ${report.figures.length} figures, ${missed} target(s) missed; written to ${config.output}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("bench failed:", error);
    process.exit(1);
  },
);
