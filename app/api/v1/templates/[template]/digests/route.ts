import { nextHandler } from "@/lib/api/default-deps";
import { templateDigestsRoute } from "@/lib/api/routes/ledger";

export const dynamic = "force-dynamic";

export const GET = nextHandler(templateDigestsRoute);
