import { nextHandler } from "@/lib/api/default-deps";
import { liftQuarantineRoute } from "@/lib/api/routes/ledger";

export const dynamic = "force-dynamic";

export const DELETE = nextHandler(liftQuarantineRoute);
