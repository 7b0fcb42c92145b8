import { nextHandler } from "@/lib/api/default-deps";
import { putTemplateSettingsRoute, templateSettingsRoute } from "@/lib/api/routes/ledger";

export const dynamic = "force-dynamic";

export const GET = nextHandler(templateSettingsRoute);
export const PUT = nextHandler(putTemplateSettingsRoute);
