import { nextHandler } from "@/lib/api/default-deps";
import { cancelOperationRoute } from "@/lib/api/routes/operation-starts";

export const dynamic = "force-dynamic";

export const POST = nextHandler(cancelOperationRoute);
