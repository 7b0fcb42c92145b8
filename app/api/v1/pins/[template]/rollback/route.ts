import { nextHandler } from "@/lib/api/default-deps";
import { rollbackRoute } from "@/lib/api/routes/pin-changes";

export const dynamic = "force-dynamic";

export const POST = nextHandler(rollbackRoute);
