import type { OperationProgress } from "@/lib/domain/operation-progress";

type Jsonified<T> = T extends Date
  ? string
  : T extends Array<infer Item>
    ? Jsonified<Item>[]
    : T extends object
      ? { [Key in keyof T]: Jsonified<T[Key]> }
      : T;

/** OperationProgress as GET /api/operations/[id] sends it: dates are ISO strings. */
export type OperationProgressJson = Jsonified<OperationProgress>;

/** One per-workspace result of an operation. */
export type OperationItemJson = OperationProgressJson["items"][number];

/** The server-side value in its wire shape, so a page's first paint and later polls agree. */
export function toProgressJson(progress: OperationProgress): OperationProgressJson {
  return JSON.parse(JSON.stringify(progress)) as OperationProgressJson;
}

const KIND_LABELS: Record<string, string> = {
  reprovision: "Reprovision",
  bulk_reprovision: "Bulk reprovision",
  sync: "Sync from Docker",
};

/** A human name for an operation kind. */
export function operationKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}
