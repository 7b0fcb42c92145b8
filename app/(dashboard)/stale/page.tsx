import type { Metadata } from "next";

export const metadata: Metadata = { title: "Stale fleet" };

export default function Page() {
  return <h1 className="text-2xl font-semibold">Stale fleet</h1>;
}
