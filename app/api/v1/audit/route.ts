import { nextHandler } from "@/lib/api/default-deps";
import { listAuditRoute } from "@/lib/api/routes/audit";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listAuditRoute);
