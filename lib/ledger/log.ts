// The one place the ledger's background work writes to the server log (JSON lines, as the repair pass does).
export function ledgerLog(level: "info" | "warn", event: string, fields: Record<string, unknown> = {}): void {
  console[level](JSON.stringify({ level, source: "digestLedger", event, ...fields }));
}
