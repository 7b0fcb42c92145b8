import { nextHandler } from "@/lib/api/default-deps";
import { getRolloutRoute } from "@/lib/api/routes/rollouts";

export const dynamic = "force-dynamic";

export const GET = nextHandler(getRolloutRoute);
