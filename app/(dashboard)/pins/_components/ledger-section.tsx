import { SectionError } from "@/components/status/section-error";
import { Banner } from "@/components/ui/banner";
import { Card } from "@/components/ui/card";
import { TimeAgo } from "@/components/ui/time-ago";
import { getDb } from "@/lib/db/client";
import { templateWatchStatus } from "@/lib/db/ledger/list-digests";
import { templateSettings } from "@/lib/db/ledger/template-settings";
import { listTemplateDigests } from "@/lib/ledger/list-ledger";
import { minDigestAgeSeconds, watchedTags } from "@/lib/ledger/watch-config";
import { loadSection } from "@/lib/status/load-section";

import { DigestLedgerTable } from "./digest-ledger-table";
import { TemplateSettingsForm } from "./template-settings-form";

/** The template page's digest ledger with the watcher's last outcome (its error, if it failed). */
export async function LedgerSection({ templateName, canOperate }: { templateName: string; canOperate: boolean }) {
  const result = await loadSection(async () => {
    const db = await getDb();
    const [rows, watch, settings] = await Promise.all([
      listTemplateDigests(db, templateName),
      templateWatchStatus(db, templateName),
      templateSettings(db, templateName),
    ]);
    return { rows, watch, settings };
  });
  if (!result.ok) return <SectionError what="the digests" failure={result} />;
  const { rows, watch, settings } = result.data;
  return (
    <Card
      title="Digests"
      description={
        <>
          Every digest Fleetpin met for this template, newest first. The watcher checks the watched tags with one HEAD
          each;
          {watch?.watchOkAt ? (
            <>
              {" "}
              last clean pass <TimeAgo date={watch.watchOkAt} />.
            </>
          ) : (
            " no clean pass yet."
          )}
        </>
      }
    >
      <div className="space-y-3">
        {watch?.watchError && (
          <Banner tone="warning" title="The tag watcher could not check this template" testId="watch-error">
            {watch.watchError}
            {watch.watchErrorAt && (
              <>
                {" "}
                (<TimeAgo date={watch.watchErrorAt} />)
              </>
            )}
          </Banner>
        )}
        {watch?.retentionError && (
          <Banner tone="warning" title="The retention check could not ask the registry" testId="retention-error">
            {watch.retentionError}
          </Banner>
        )}
        <DigestLedgerTable templateName={templateName} rows={rows} canOperate={canOperate} />
        {canOperate && (
          <details className="rounded-md border border-slate-200 p-3 text-sm">
            <summary className="cursor-pointer font-medium text-slate-700">Cool-down and watched tags</summary>
            <div className="mt-3">
              <TemplateSettingsForm
                templateName={templateName}
                minDigestAgeSeconds={settings.minDigestAgeSeconds}
                watchedTags={settings.watchedTags}
                defaults={{
                  minDigestAgeSeconds: minDigestAgeSeconds(undefined, null),
                  watchedTags: watchedTags(undefined, null),
                }}
              />
            </div>
          </details>
        )}
      </div>
    </Card>
  );
}
