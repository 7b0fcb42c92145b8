"use client";

import { useEffect } from "react";

import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";

/**
 * Last resort for a bug in a dashboard page (expected failures render as
 * section banners instead). The real error is in the server log; the digest
 * lets an operator find it there.
 */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // A client component: the browser's console is the only log here (the server logged it through lib/log).
    // eslint-disable-next-line no-console
    console.error(error);
  }, [error]);
  return (
    <div className="space-y-3">
      <Banner tone="error" title="This page failed to load">
        Something unexpected went wrong; it was logged on the server
        {error.digest && (
          <>
            {" "}
            (reference <span className="font-mono">{error.digest}</span>)
          </>
        )}
        . If the database, Docker or the registry was just restarted, trying again usually helps.
      </Banner>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
