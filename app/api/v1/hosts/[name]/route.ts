import { nextHandler } from "@/lib/api/default-deps";
import { deleteHostRoute } from "@/lib/api/routes/hosts";

export const dynamic = "force-dynamic";

export const DELETE = nextHandler(deleteHostRoute);
