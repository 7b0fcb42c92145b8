import { nextHandler } from "@/lib/api/default-deps";
import { listWorkspacesRoute } from "@/lib/api/routes/workspaces";

export const dynamic = "force-dynamic";

export const GET = nextHandler(listWorkspacesRoute);
