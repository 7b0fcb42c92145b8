import type { Metadata } from "next";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return <h1 className="text-2xl font-semibold">Audit log</h1>;
}
