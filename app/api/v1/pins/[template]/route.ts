import { nextHandler } from "@/lib/api/default-deps";
import { unpinRoute } from "@/lib/api/routes/pin-changes";

export const dynamic = "force-dynamic";

export const DELETE = nextHandler(unpinRoute);
