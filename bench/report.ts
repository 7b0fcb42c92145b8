// Figures, their one-line form and the JSON file. Pure: no I/O except in
// `createReport`'s print/write, so the formatting is unit-tested.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** A target a figure is compared against: `value <op> limit`. */
export type Target = { key: string; op: "<" | "<=" | "="; limit: number };

/** One measured figure: a name, what it was measured on (labels) and its numbers. */
export type Figure = {
  name: string;
  labels: Record<string, string | number>;
  values: Record<string, number | string>;
  target?: Target;
  /** PASS/MISS when there is a target; a missed target is reported, never a failure. */
  verdict?: "PASS" | "MISS";
  /** Raw samples (ms), kept in the JSON for anyone who wants another statistic. */
  samples?: number[];
};

/** Summary statistics of timing samples (milliseconds). */
export type Stats = { runs: number; median: number; p95: number; min: number; max: number; stdev: number };

/**
 * Median, nearest-rank p95, min, max and sample standard deviation (n − 1; 0 for one sample)
 * of non-empty `samples`. With few runs p95 is the max, so stdev is the spread that says more.
 */
export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error("stats() needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const squares = sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  const stdev = sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0;
  return { runs: sorted.length, median, p95, min: sorted[0]!, max: sorted[sorted.length - 1]!, stdev };
}

/** Whether `value` meets `target`. */
export function meets(value: number, target: Target): boolean {
  if (target.op === "<") return value < target.limit;
  if (target.op === "<=") return value <= target.limit;
  return value === target.limit;
}

/** Attaches the verdict of `target` (read from `values[target.key]`) to a figure. */
export function judge(figure: Omit<Figure, "verdict">): Figure {
  if (!figure.target) return figure;
  const value = figure.values[figure.target.key];
  if (typeof value !== "number")
    throw new Error(`figure ${figure.name} has no numeric "${figure.target.key}" to judge`);
  return { ...figure, verdict: meets(value, figure.target) ? "PASS" : "MISS" };
}

/** `name k=v … median=3.1 p95=4.0 target<50 PASS`: numbers rounded for reading, exact ones stay in the JSON. */
export function formatFigure(figure: Figure): string {
  const parts = [figure.name];
  for (const [key, value] of Object.entries(figure.labels)) parts.push(`${key}=${value}`);
  for (const [key, value] of Object.entries(figure.values))
    parts.push(`${key}=${typeof value === "number" ? round(value) : value}`);
  if (figure.target) {
    const key = figure.target.key === "median" || figure.target.key === "ratio" ? "" : `(${figure.target.key})`;
    parts.push(`target${key}${figure.target.op}${figure.target.limit}`, figure.verdict ?? "");
  }
  return parts.join(" ").trimEnd();
}

/** Rounds to 3 significant digits below 100, to 0.1 up to 1000, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value);
  if (abs >= 100) return Math.round(value * 10) / 10;
  return Number(value.toPrecision(3));
}

/** Collects figures, prints each as it comes and writes them all (plus context) as JSON. */
export type Report = {
  add(figure: Omit<Figure, "verdict">): Figure;
  note(key: string, value: unknown): void;
  readonly figures: Figure[];
  write(file: string, context: Record<string, unknown>): Promise<void>;
};

export function createReport(print: (line: string) => void = (line) => console.log(line)): Report {
  const figures: Figure[] = [];
  const notes: Record<string, unknown> = {};
  return {
    figures,
    add(input) {
      const figure = judge(input);
      figures.push(figure);
      print(formatFigure(figure));
      return figure;
    },
    note(key, value) {
      notes[key] = value;
    },
    async write(file, context) {
      await mkdir(path.dirname(path.resolve(file)), { recursive: true });
      await writeFile(file, `${JSON.stringify({ ...context, figures, ...notes }, null, 2)}\n`);
    },
  };
}
