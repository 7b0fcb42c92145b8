// Byte counts in words for the ledger and the promote preview. Pure.

/** 1234567 → "1.2 MB" (decimal units, as registries and `docker images` show them). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return "—";
  const size = Math.abs(bytes);
  const units: Array<[string, number]> = [
    ["GB", 1e9],
    ["MB", 1e6],
    ["kB", 1e3],
  ];
  for (const [unit, scale] of units) if (size >= scale) return `${(bytes / scale).toFixed(1)} ${unit}`;
  return `${bytes} B`;
}

/** A signed size change: "+1.2 MB", "−300 B", "no change". */
export function formatSizeDelta(delta: number | null): string {
  if (delta === null) return "unknown";
  if (delta === 0) return "no change";
  return `${delta > 0 ? "+" : "−"}${formatBytes(Math.abs(delta))}`;
}
