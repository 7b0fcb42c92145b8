import type { RingConfig } from "./rings";

/**
 * Makes `workspaceIds` explicit members of the ring named `ringName` (its selector's workspaceIds),
 * and takes them out of every other ring's explicit list: explicit ids win in ring order
 * (assignRing), so a stale entry in an earlier ring would keep the workspace there. With
 * `ringName` null the ids only lose their explicit membership (labels and percent decide again).
 * Returns the new list, or null when no ring but the last has that name (the last ring holds the
 * rest and has no list to join).
 */
export function withExplicitMembers(
  rings: readonly RingConfig[],
  ringName: string | null,
  workspaceIds: readonly string[],
): RingConfig[] | null {
  const moving = new Set(workspaceIds.map((id) => id.trim().toLowerCase()));
  const target = ringName === null ? -1 : rings.findIndex((ring) => ring.name === ringName);
  if (ringName !== null && (target === -1 || target === rings.length - 1)) return null;
  return rings.map((ring, index) => {
    if (ring.selector === null) return ring;
    const kept = (ring.selector.workspaceIds ?? []).filter((id) => !moving.has(id.trim().toLowerCase()));
    const ids = index === target ? [...kept, ...moving] : kept;
    const { workspaceIds: _old, ...rest } = ring.selector;
    return { ...ring, selector: ids.length > 0 ? { ...rest, workspaceIds: ids } : rest };
  });
}
