import { nextHandler } from "@/lib/api/default-deps";
import { abortRolloutRoute } from "@/lib/api/routes/rollouts";

export const dynamic = "force-dynamic";

export const POST = nextHandler(abortRolloutRoute);
