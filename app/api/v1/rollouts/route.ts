import { nextHandler } from "@/lib/api/default-deps";
import { listRolloutsRoute } from "@/lib/api/routes/rollouts";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listRolloutsRoute);
