import { nextHandler } from "@/lib/api/default-deps";
import { listPinsRoute } from "@/lib/api/routes/pins";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listPinsRoute);
