import { nextHandler } from "@/lib/api/default-deps";
import { addHostRoute, listHostsRoute } from "@/lib/api/routes/hosts";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listHostsRoute);
export const POST = nextHandler(addHostRoute);
