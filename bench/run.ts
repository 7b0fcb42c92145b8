// `npm run bench` (via scripts/bench.sh): every figure of issue #7, one line
// each, then the JSON file. A section that breaks fails the run; a missed
// target is only reported (MISS).
import { benchConfig } from "./config";
import { openBenchDatabase } from "./databases";
import { openDockerBench } from "./docker-bench";
import { machineInfo } from "./machine";
import { measureMultiHost } from "./multi-host";
import { measurePages } from "./pages";
import { measureQueries } from "./queries";
import { measureQueueOverhead } from "./queue-overhead";
import { measureRegistryCalls } from "./registry-calls";
import { createReport } from "./report";
import { measureReprovision } from "./reprovision";
import { measureWatcher } from "./watcher";

async function main(): Promise<void> {
  const config = benchConfig();
  const startedAt = new Date();
  const report = createReport();
  const machineAtStart = await machineInfo();
  const runs = (section: (typeof config.sections)[number]) => config.sections.includes(section);
  console.log(
    `# fleetpin bench (${config.smoke ? "smoke" : "full"}): ${config.sections.join(", ")}; load ${machineAtStart.loadAverage}; output ${config.output}`,
  );

  if (runs("queries") || runs("pages")) {
    for (const backend of config.backends) {
      for (const rows of config.querySizes) {
        if (backend === "pglite" && rows > config.pgliteMaxRows) continue;
        const pages = runs("pages") && backend === "postgres" && config.pageSizes.includes(rows);
        if (!runs("queries") && !pages) continue;
        const database = await openBenchDatabase(backend);
        try {
          await measureQueries(report, database, rows, config, { timings: runs("queries") });
          if (pages) await measurePages(report, database, rows, config);
        } finally {
          await database.close();
        }
      }
    }
  }

  if (runs("reprovision") || runs("registry")) {
    const bench = await openDockerBench();
    try {
      if (runs("reprovision")) await measureReprovision(report, bench, config);
      if (runs("registry")) await measureRegistryCalls(report, bench, config);
    } finally {
      await bench.close();
    }
  }

  if (runs("watcher")) await measureWatcher(report, config);
  if (runs("queue")) await measureQueueOverhead(report, config);
  if (runs("hosts")) await measureMultiHost(report, config);

  await report.write(config.output, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    smoke: config.smoke,
    config,
    machine: { ...machineAtStart, loadAverageAtEnd: (await machineInfo()).loadAverage },
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
