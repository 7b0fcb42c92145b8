import { nextHandler } from "@/lib/api/default-deps";
import { platformPinsRoute } from "@/lib/api/routes/pins";

export const dynamic = "force-dynamic";

export const GET = nextHandler(platformPinsRoute);
