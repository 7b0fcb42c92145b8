// Whether a promote may go ahead under the cool-down. Pure.

/** "ok": old enough (or no cool-down); "refuse": too young, no override; "override": too young, operator overrode with a reason. */
export type CoolDownDecision = "ok" | "refuse" | "override";

export function coolDownDecision(
  ageSeconds: number,
  minAgeSeconds: number,
  overrideReason: string | null,
): CoolDownDecision {
  if (minAgeSeconds <= 0 || ageSeconds >= minAgeSeconds) return "ok";
  return overrideReason !== null && overrideReason.trim() !== "" ? "override" : "refuse";
}

/** "2 h 5 min", "40 s": how long, in words an operator reads at a glance. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86_400)} d${s % 86_400 >= 3600 ? ` ${Math.floor((s % 86_400) / 3600)} h` : ""}`;
}
