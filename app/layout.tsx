import type { Metadata } from "next";
import type { ReactNode } from "react";

import "./globals.css";

// Every page renders per request: the Content-Security-Policy's script nonce
// (proxy.ts) is new each time, and a page prerendered at build time would
// carry scripts without it, which the browser then refuses.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Fleetpin", template: "%s · Fleetpin" },
  description: "Pin workspace template images to digests, promote and roll back, and reprovision the stale fleet.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
