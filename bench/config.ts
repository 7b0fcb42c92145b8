import path from "node:path";

// Only the constant: the bench's gated round uses Fleetpin's default settle time.
import { DEFAULT_HEALTH_SETTLE_SECONDS } from "@/lib/provisioner/swap/health-gate";

// What one bench run measures. BENCH_SMOKE=1 is the small run `npm test` does
// to keep this script working; the full run is what the README's figures come from.

/** Sizes, repetitions and concurrency levels of one run. */
export type BenchConfig = {
  smoke: boolean;
  /** Which sections run (all by default). */
  sections: Section[];
  /** Fleet sizes seeded for the query figures, on every backend (PGlite up to pgliteMaxRows). */
  querySizes: number[];
  /** The largest fleet seeded into the embedded PGlite (in memory): issue #16 measures it at 100k. */
  pgliteMaxRows: number;
  backends: Array<"postgres" | "pglite">;
  /** Timed runs per query (after warm-up runs). */
  queryRuns: number;
  /** Sizes (PostgreSQL) at which the pages' server render is timed. */
  pageSizes: number[];
  pageRuns: number;
  /** Workspaces reprovisioned per throughput round. */
  reprovisionCount: number;
  concurrencies: number[];
  /** Gate-off rounds per concurrency level (Fleetpin and the baseline alternate who goes first). */
  reprovisionRounds: number;
  /** Settle seconds of the one gated round per concurrency level that measures the health gate's time. */
  gateSettleSeconds: number;
  /** Workspaces in the registry-call count. */
  registryCount: number;
  output: string;
};

export const SECTIONS = ["queries", "pages", "reprovision", "registry", "watcher", "queue", "hosts"] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * The run described by the environment (BENCH_SMOKE, BENCH_OUTPUT, BENCH_SECTIONS, BENCH_SIZES,
 * BENCH_BACKENDS, BENCH_PGLITE_MAX_ROWS, BENCH_CONCURRENCY, BENCH_N, BENCH_ROUNDS, BENCH_GATE_SETTLE_SECONDS).
 */
export function benchConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  now: Date = new Date(),
): BenchConfig {
  const smoke = env.BENCH_SMOKE === "1";
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  const base: BenchConfig = smoke
    ? {
        smoke,
        sections: [...SECTIONS],
        // Past one seed batch's edge and through every figure's code path, in a second or two.
        querySizes: [2_000],
        pgliteMaxRows: 2_000,
        backends: ["postgres", "pglite"],
        queryRuns: 5,
        pageSizes: [2_000],
        pageRuns: 3,
        reprovisionCount: 3,
        concurrencies: [2],
        reprovisionRounds: 2,
        // Short, so `npm test` stays quick; the full run uses Fleetpin's default (5 s).
        gateSettleSeconds: 1,
        registryCount: 3,
        output: "",
      }
    : {
        smoke,
        sections: [...SECTIONS],
        querySizes: [1_000, 10_000, 100_000, 1_000_000],
        pgliteMaxRows: 100_000,
        backends: ["postgres", "pglite"],
        queryRuns: 21,
        pageSizes: [10_000, 100_000, 1_000_000],
        pageRuns: 15,
        reprovisionCount: 20,
        concurrencies: [1, 4, 8],
        reprovisionRounds: 5,
        gateSettleSeconds: DEFAULT_HEALTH_SETTLE_SECONDS,
        registryCount: 20,
        output: "",
      };
  const list = (value: string | undefined, name: string): number[] | undefined => {
    if (!value?.trim()) return undefined;
    const numbers = value.split(",").map((part) => Number(part.trim()));
    if (numbers.some((n) => !Number.isInteger(n) || n <= 0))
      throw new Error(`${name} must be a comma-separated list of positive integers, got "${value}"`);
    return numbers;
  };
  const sizes = list(env.BENCH_SIZES, "BENCH_SIZES");
  const concurrencies = list(env.BENCH_CONCURRENCY, "BENCH_CONCURRENCY");
  const count = list(env.BENCH_N, "BENCH_N")?.[0];
  const pgliteMax = list(env.BENCH_PGLITE_MAX_ROWS, "BENCH_PGLITE_MAX_ROWS")?.[0];
  const rounds = list(env.BENCH_ROUNDS, "BENCH_ROUNDS")?.[0];
  const settle = list(env.BENCH_GATE_SETTLE_SECONDS, "BENCH_GATE_SETTLE_SECONDS")?.[0];
  const sections = env.BENCH_SECTIONS?.trim() ? env.BENCH_SECTIONS.split(",").map((part) => part.trim()) : undefined;
  if (sections?.some((section) => !(SECTIONS as readonly string[]).includes(section))) {
    throw new Error(`BENCH_SECTIONS must list some of ${SECTIONS.join(", ")}, got "${env.BENCH_SECTIONS}"`);
  }
  const backends = env.BENCH_BACKENDS?.trim() ? env.BENCH_BACKENDS.split(",").map((part) => part.trim()) : undefined;
  if (backends?.some((backend) => backend !== "postgres" && backend !== "pglite")) {
    throw new Error(`BENCH_BACKENDS must list postgres and/or pglite, got "${env.BENCH_BACKENDS}"`);
  }
  return {
    ...base,
    ...(sizes ? { querySizes: sizes, pageSizes: pageSizesFor(sizes) } : {}),
    ...(concurrencies ? { concurrencies } : {}),
    ...(backends ? { backends: backends as BenchConfig["backends"] } : {}),
    ...(sections ? { sections: sections as Section[] } : {}),
    ...(count ? { reprovisionCount: count, registryCount: count } : {}),
    ...(rounds ? { reprovisionRounds: rounds } : {}),
    ...(pgliteMax ? { pgliteMaxRows: pgliteMax } : {}),
    ...(settle ? { gateSettleSeconds: settle } : {}),
    output: env.BENCH_OUTPUT?.trim() || path.join("bench-results", `bench-${stamp}.json`),
  };
}

// The pages are timed at the sizes that matter (10k and up); a small custom run still times its largest.
function pageSizesFor(sizes: number[]): number[] {
  const large = sizes.filter((size) => size >= 10_000);
  return large.length > 0 ? large : [Math.max(...sizes)];
}
