import { serveOpenApiDocument } from "@/lib/api/routes/openapi-route";

export const dynamic = "force-dynamic";

export const GET = serveOpenApiDocument;
