const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago"-style text for a past moment, relative to `now`. */
export function formatRelative(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? "just now" : format.format(seconds, "second");
}

/** An absolute UTC timestamp, the same on server and client: "2026-05-14 09:31:05 UTC". */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * A <time> element showing relative time with the exact UTC timestamp on
 * hover. Server and client clocks differ, hence suppressHydrationWarning.
 */
export function TimeAgo({ date, absolute = false }: { date: Date | string | null | undefined; absolute?: boolean }) {
  if (!date) return <span className="text-slate-400">—</span>;
  const value = typeof date === "string" ? new Date(date) : date;
  return (
    <time
      dateTime={value.toISOString()}
      title={formatTimestamp(value)}
      suppressHydrationWarning
      className="whitespace-nowrap"
    >
      {absolute ? formatTimestamp(value) : formatRelative(value)}
    </time>
  );
}
