import { nextHandler } from "@/lib/api/default-deps";
import { reprovisionOneRoute } from "@/lib/api/routes/operation-starts";

export const dynamic = "force-dynamic";

export const POST = nextHandler(reprovisionOneRoute);
