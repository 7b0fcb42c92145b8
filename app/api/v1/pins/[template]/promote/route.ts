import { nextHandler } from "@/lib/api/default-deps";
import { promoteRoute } from "@/lib/api/routes/pin-changes";

export const dynamic = "force-dynamic";

export const POST = nextHandler(promoteRoute);
