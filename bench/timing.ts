// Wall-clock timing of an async function: warm-up runs first (plan caches,
// connection pools, JIT), then the timed ones, one after another.
import { performance } from "node:perf_hooks";

/** Milliseconds each of `runs` sequential calls of `work` took, after `warmup` untimed calls. */
export async function timeRuns(
  work: () => Promise<unknown>,
  options: { runs: number; warmup?: number },
): Promise<number[]> {
  for (let i = 0; i < (options.warmup ?? 2); i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Milliseconds one call of `work` took, with its result. */
export async function timeOnce<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}
