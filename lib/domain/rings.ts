/**
 * Rings (issue 18): the ordered groups a template's fleet moves through during a rollout.
 * Pure: the pages, the API schemas and the rollout engine share these rules.
 */

/**
 * How a workspace joins a ring. Any of the three may be given; explicit ids win over labels,
 * labels over percent (see assignRing). `percent` is this ring's own share of the fleet.
 */
export type RingSelector = { workspaceIds?: string[]; labels?: Record<string, string>; percent?: number };

/** One ring; `selector` is null only on the last ring, which holds every workspace no earlier ring took. */
export type RingConfig = {
  name: string;
  bakeSeconds: number;
  failureBudget: number;
  /** How many of the ring's workspaces may be reprovisioned at once; 0 = the host's usual concurrency. */
  maxUnavailable: number;
  autoAdvance: boolean;
  selector: RingSelector | null;
  /** Optional HTTP probe during the bake, through each workspace's published port; none = container state only. */
  probe?: RingProbe | null;
};

/** GET `path` on the workspace's published port must answer `expectedStatus` during the bake. */
export type RingProbe = { path: string; expectedStatus: number };

/** The defaults the issue names: canary bakes 10 min, early 5 min, fleet takes the rest. */
export const DEFAULT_RINGS: RingConfig[] = [
  {
    name: "canary",
    bakeSeconds: 600,
    failureBudget: 0,
    maxUnavailable: 1,
    autoAdvance: true,
    selector: { percent: 5 },
  },
  {
    name: "early",
    bakeSeconds: 300,
    failureBudget: 0,
    maxUnavailable: 0,
    autoAdvance: true,
    selector: { percent: 25 },
  },
  { name: "fleet", bakeSeconds: 0, failureBudget: 0, maxUnavailable: 0, autoAdvance: true, selector: null },
];

/** Buckets per percent: 10 000 buckets give percentages to two decimals. */
export const BUCKETS = 10_000;

/**
 * A stable bucket 0..9999 from the workspace id: FNV-1a over the id's UTF-16 units, then the
 * murmur3 finalizer so ids that differ in one character spread over all buckets. Pure (no
 * node:crypto) so the pages can show which bucket a workspace falls in. The id is lowercased:
 * the same UUID in either case is the same workspace.
 */
export function percentBucket(workspaceId: string): number {
  const text = workspaceId.trim().toLowerCase();
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % BUCKETS;
}

/** What assignRing needs of a workspace: its id, its container's labels and its Docker host's labels. */
export type RingCandidate = { id: string; labels: Record<string, string>; hostLabels: Record<string, string> };

/**
 * The index of the ring a workspace belongs to. First explicit `workspaceIds` (in ring order),
 * then `labels` (every pair must match, on the container or on its host), then `percent`: the
 * workspace's bucket against the running sum of the percent rings' shares (canary 5 → buckets
 * 0..499, early 25 → 500..2999), so a workspace keeps its ring however large the fleet grows.
 * Everything else is in the last ring.
 */
export function assignRing(ws: RingCandidate, rings: RingConfig[]): number {
  const last = rings.length - 1;
  const id = ws.id.trim().toLowerCase();
  for (let i = 0; i < last; i++) {
    if (rings[i]!.selector?.workspaceIds?.some((wanted) => wanted.trim().toLowerCase() === id)) return i;
  }
  for (let i = 0; i < last; i++) {
    const labels = rings[i]!.selector?.labels;
    if (labels && Object.keys(labels).length > 0 && labelsMatch(labels, ws)) return i;
  }
  const bucket = percentBucket(id);
  let threshold = 0;
  for (let i = 0; i < last; i++) {
    const percent = rings[i]!.selector?.percent;
    if (percent === undefined || percent <= 0) continue;
    threshold += Math.round(percent * (BUCKETS / 100));
    if (bucket < threshold) return i;
  }
  return Math.max(last, 0);
}

function labelsMatch(wanted: Record<string, string>, ws: RingCandidate): boolean {
  return Object.entries(wanted).every(([key, value]) => ws.labels[key] === value || ws.hostLabels[key] === value);
}

/** Problems with a ring list, in words (empty = fine); the API schema and the database write both check. */
export function ringListProblems(rings: RingConfig[]): string[] {
  const problems: string[] = [];
  if (rings.length < 1 || rings.length > 10) problems.push("Configure between 1 and 10 rings.");
  const names = new Set<string>();
  rings.forEach((ring, index) => {
    const isLast = index === rings.length - 1;
    if (names.has(ring.name)) problems.push(`Ring names must be unique: "${ring.name}" appears twice.`);
    names.add(ring.name);
    if (isLast && ring.selector !== null)
      problems.push(`The last ring ("${ring.name}") holds the rest: give it no selector.`);
    if (!isLast && ring.selector === null)
      problems.push(`Only the last ring may go without a selector ("${ring.name}").`);
    if (!isLast && ring.selector && !selectsAnything(ring.selector)) {
      problems.push(`Ring "${ring.name}" selects nothing: give it workspace ids, labels or a percent.`);
    }
    const percent = ring.selector?.percent;
    if (percent !== undefined && !(percent > 0 && percent <= 100)) {
      problems.push(`Ring "${ring.name}": percent must be above 0 and at most 100.`);
    }
    if (!(Number.isInteger(ring.bakeSeconds) && ring.bakeSeconds >= 0 && ring.bakeSeconds <= 86_400)) {
      problems.push(`Ring "${ring.name}": bake time must be 0 to 86400 seconds.`);
    }
    if (!(Number.isInteger(ring.failureBudget) && ring.failureBudget >= 0)) {
      problems.push(`Ring "${ring.name}": the failure budget must be a whole number, 0 or more.`);
    }
    if (
      ring.probe &&
      !(ring.probe.path.startsWith("/") && ring.probe.expectedStatus >= 100 && ring.probe.expectedStatus <= 599)
    ) {
      problems.push(`Ring "${ring.name}": a probe needs a path starting with "/" and a status 100..599.`);
    }
    if (!(Number.isInteger(ring.maxUnavailable) && ring.maxUnavailable >= 0)) {
      problems.push(`Ring "${ring.name}": max unavailable must be a whole number, 0 or more.`);
    }
  });
  return problems;
}

function selectsAnything(selector: RingSelector): boolean {
  return (
    (selector.workspaceIds?.length ?? 0) > 0 ||
    Object.keys(selector.labels ?? {}).length > 0 ||
    (selector.percent !== undefined && selector.percent > 0)
  );
}
