import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { Banner } from "@/components/ui/banner";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { getSessionUser } from "@/lib/auth/session";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { getLogger } from "@/lib/log/logger";

import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type LoginPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : undefined);
  let user = null;
  let outage = false;
  try {
    user = await getSessionUser();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    // Details (host, user) stay in the server log: this page is public.
    getLogger({ source: "auth" }).error({ err: error }, "login page could not check the session");
    outage = true;
  }
  if (user) redirect(next);

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-semibold tracking-tight">Fleetpin</p>
          <h1 className="mt-1 text-sm text-slate-600">Sign in to manage workspace image pins</h1>
        </div>
        {outage && (
          <Banner tone="error" title="Sign-in is unavailable right now" className="mb-4" testId="login-outage">
            Fleetpin cannot reach its database, so it cannot check passwords or sessions. The server log has the
            details.
          </Banner>
        )}
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm next={next} signedOut={params.signed_out === "1"} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-500">
          No account? An operator can create one with{" "}
          <code className="whitespace-nowrap font-mono">npm run user:create</code>.
        </p>
      </div>
    </main>
  );
}
