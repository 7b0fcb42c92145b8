import { nextHandler } from "@/lib/api/default-deps";
import { getOperationRoute } from "@/lib/api/routes/operations";

export const dynamic = "force-dynamic";

export const GET = nextHandler(getOperationRoute);
