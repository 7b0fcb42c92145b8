import { nextHandler } from "@/lib/api/default-deps";
import { syncRoute } from "@/lib/api/routes/operation-starts";

export const dynamic = "force-dynamic";

export const POST = nextHandler(syncRoute);
