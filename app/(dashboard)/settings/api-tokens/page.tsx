import type { Metadata } from "next";

import { CreateTokenForm } from "@/app/(dashboard)/settings/api-tokens/_components/create-token-form";
import { TokenTable } from "@/app/(dashboard)/settings/api-tokens/_components/token-table";
import { SectionError } from "@/components/status/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { canOperate, requireUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/db/api-tokens";
import { getDb } from "@/lib/db/client";
import { loadSection } from "@/lib/status/load-section";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requireUser();
  const operator = canOperate(user);
  const result = await loadSection(async () => listApiTokens(await getDb()));
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Bearer tokens for the JSON API under <code>/api/v1</code> (
            <a className="underline" href="/api/v1/openapi.json">
              OpenAPI
            </a>
            ). A viewer token reads; an operator token may also promote, roll back, unpin and reprovision. Every change
            it makes is recorded as token:&lt;name&gt; with the person who created it.
          </>
        }
      />
      {operator && (
        <Card title="New token" className="mb-5">
          <div className="p-4">
            <CreateTokenForm />
          </div>
        </Card>
      )}
      <Card>
        {result.ok ? (
          <TokenTable rows={result.data} canOperate={operator} now={new Date()} />
        ) : (
          <SectionError what="the API tokens" failure={result} />
        )}
      </Card>
    </>
  );
}
