import { nextHandler } from "@/lib/api/default-deps";
import { disableRingsRoute, listRingsRoute, replaceRingsRoute } from "@/lib/api/routes/rings";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listRingsRoute);
export const PUT = nextHandler(replaceRingsRoute);
export const DELETE = nextHandler(disableRingsRoute);
