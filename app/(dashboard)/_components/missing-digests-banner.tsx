import Link from "next/link";

import { Banner } from "@/components/ui/banner";
import { TimeAgo } from "@/components/ui/time-ago";
import { getDb } from "@/lib/db/client";
import { listMissingDigests } from "@/lib/db/ledger/retention";
import { shortDigest } from "@/lib/domain/image-ref";
import { loadSection } from "@/lib/status/load-section";

/**
 * Pinned digests and rollback targets the retention check no longer found in the registry: a
 * reprovision or rollback onto them would fail, so the pins and stale pages say it first.
 * Renders nothing when all are there (or when the database cannot say: its own banner covers that).
 */
export async function MissingDigestsBanner({ templateName }: { templateName?: string }) {
  const result = await loadSection(async () => listMissingDigests(await getDb(), templateName));
  if (!result.ok || result.data.length === 0) return null;
  return (
    <Banner tone="error" title="Digests Fleetpin relies on are gone from the registry" testId="missing-digests-banner">
      <ul className="list-disc pl-4">
        {result.data.map((row) => (
          <li key={`${row.templateName}@${row.digest}`} data-testid="missing-digest">
            <Link href={`/pins/${encodeURIComponent(row.templateName)}`} className="font-medium underline">
              {row.templateName}
            </Link>{" "}
            {row.pinned ? "pin" : "rollback target"} <span className="font-mono">{shortDigest(row.digest)}</span>{" "}
            missing since <TimeAgo date={row.missingSince} />
            {row.pinned
              ? ": reprovisioning onto the pin will fail; push it again or promote another digest."
              : ": a rollback to it will fail."}
          </li>
        ))}
      </ul>
    </Banner>
  );
}
