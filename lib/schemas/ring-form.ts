// The Settings → Rings editor works on text fields (what inputs hold); these turn them into the
// PUT /api/v1/rings body and back, so the page's action validates exactly what the API validates
// (ringsInputSchema in lib/schemas/rings.ts) and reports errors under the same dotted names.

/** One ring as PUT /api/v1/rings takes it (snake_case on the wire, like the rest of the API). */
export type RingWire = {
  name: string;
  bake_seconds: number;
  failure_budget: number;
  max_unavailable: number;
  auto_advance: boolean;
  selector?: { workspace_ids?: string[]; labels?: Record<string, string>; percent?: number } | null;
  probe?: { path: string; expected_status: number } | null;
};

/** One ring as the editor's inputs hold it. The last ring's selector fields are ignored: it holds the rest. */
export type RingDraft = {
  name: string;
  bakeSeconds: string;
  failureBudget: string;
  maxUnavailable: string;
  autoAdvance: boolean;
  workspaceIds: string;
  labels: string;
  percent: string;
  /** The optional HTTP probe of the bake; a blank path means none. */
  probePath: string;
  probeStatus: string;
};

/** A blank ring to insert before the last one. */
export function blankRingDraft(name = ""): RingDraft {
  return {
    name,
    bakeSeconds: "300",
    failureBudget: "0",
    maxUnavailable: "1",
    autoAdvance: true,
    workspaceIds: "",
    labels: "",
    percent: "",
    probePath: "",
    probeStatus: "",
  };
}

/** `a=b, c=d` → { a: "b", c: "d" }; an entry without `=` becomes a key with an empty value (the schema says why not). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of text.split(/[,\n]/)) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf("=");
    if (at === -1) labels[trimmed] = "";
    else labels[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  }
  return labels;
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}

/** Ids separated by commas, spaces or lines. */
export function parseIdList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** A number field: blank or junk stays NaN-free by becoming the text itself, so the schema names the field. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/**
 * The drafts as the PUT /api/v1/rings body; the last ring goes without a selector. `templatesText`
 * (names separated by commas or spaces; blank = every template) always goes along: the editor shows
 * the current choice, so what it saves is what the operator saw.
 */
export function ringsBodyFromDrafts(
  drafts: RingDraft[],
  templatesText = "",
): { rings: RingWire[]; templates: string[] } {
  return {
    templates: parseIdList(templatesText),
    rings: drafts.map((draft, index) => {
      const ring = {
        name: draft.name.trim(),
        bake_seconds: numberOrText(draft.bakeSeconds),
        failure_budget: numberOrText(draft.failureBudget),
        max_unavailable: numberOrText(draft.maxUnavailable),
        auto_advance: draft.autoAdvance,
      } as RingWire;
      if (draft.probePath.trim() !== "") {
        ring.probe = {
          path: draft.probePath.trim(),
          expected_status: numberOrText(draft.probeStatus || "200") as number,
        };
      }
      if (index === drafts.length - 1) return ring;
      const ids = parseIdList(draft.workspaceIds);
      const labels = parseLabels(draft.labels);
      const percent = numberOrText(draft.percent);
      ring.selector = {
        ...(ids.length > 0 ? { workspace_ids: ids } : {}),
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(percent !== "" ? { percent: percent as number } : {}),
      };
      return ring;
    }),
  };
}

/** The stored rings (wire shape) as drafts for the editor's inputs. */
export function draftsFromRings(rings: RingWire[]): RingDraft[] {
  return rings.map((ring) => ({
    name: ring.name,
    bakeSeconds: String(ring.bake_seconds),
    failureBudget: String(ring.failure_budget),
    maxUnavailable: String(ring.max_unavailable),
    autoAdvance: ring.auto_advance,
    workspaceIds: (ring.selector?.workspace_ids ?? []).join(", "),
    labels: formatLabels(ring.selector?.labels),
    percent: ring.selector?.percent === undefined ? "" : String(ring.selector.percent),
    probePath: ring.probe?.path ?? "",
    probeStatus: ring.probe ? String(ring.probe.expected_status) : "",
  }));
}

/** Moves the ring at `from` one place up or down; the last ring (the rest) never moves and nothing passes it. */
export function moveRing<T>(list: readonly T[], from: number, direction: -1 | 1): T[] {
  const to = from + direction;
  const lastMovable = list.length - 2;
  if (from < 0 || from > lastMovable || to < 0 || to > lastMovable) return [...list];
  const next = [...list];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}
