import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

import { cn } from "./cn";

/** A dense, horizontally scrollable data table with a caption for screen readers. */
export function Table({ caption, children, testId }: { caption: string; children: ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto">
      <table data-testid={testId} className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** The header row's container. */
export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
      {children}
    </thead>
  );
}

/** A column header. */
export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={cn("whitespace-nowrap px-3 py-2 font-medium", className)} {...props} />;
}

/** A body cell. */
export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2 align-middle", className)} {...props} />;
}

/** The table body; rows get dividers and a hover tint. */
export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100 [&>tr:hover]:bg-slate-50/70">{children}</tbody>;
}

/** A single full-width row for "nothing here" messages. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-10 text-center text-sm text-slate-500">
        {children}
      </td>
    </tr>
  );
}

/** A DataTable column: its header text, or the text with classes for its header cell; `false` leaves it out. */
export type Column = string | { label: string; className: string } | false;

/** The right-aligned Actions column that tables show only to operators: `canOperate && ACTIONS_COLUMN`. */
export const ACTIONS_COLUMN = { label: "Actions", className: "text-right" };

/**
 * A Table with one header row built from `columns` and a body with one row
 * per item (`children` renders it, with its key). When `rows` is empty it
 * shows `empty`, spanning exactly the columns shown, if given.
 */
export function DataTable<T>({
  caption,
  testId,
  columns,
  rows,
  empty,
  children,
}: {
  caption: string;
  testId?: string;
  columns: readonly Column[];
  rows: readonly T[];
  empty?: ReactNode;
  children: (row: T) => ReactNode;
}) {
  const shown = columns.filter((column) => column !== false);
  return (
    <Table caption={caption} testId={testId}>
      <THead>
        <tr>
          {shown.map((column, index) =>
            typeof column === "string" ? (
              <Th key={index}>{column}</Th>
            ) : (
              <Th key={index} className={column.className}>
                {column.label}
              </Th>
            ),
          )}
        </tr>
      </THead>
      <TBody>
        {rows.length === 0 && empty !== undefined && <EmptyRow colSpan={shown.length}>{empty}</EmptyRow>}
        {rows.map((row) => children(row))}
      </TBody>
    </Table>
  );
}
