/** The outcome of a health probe: reachable, or a message an operator can act on. */
export type ServiceStatus = { ok: true } | { ok: false; message: string };
