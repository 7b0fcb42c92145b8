import "server-only";

import type { ApiRoute } from "../define-api-route";
import { listAuditRoute } from "./audit";
import { getOperationRoute } from "./operations";
import { listPinsRoute } from "./pins";
import { fleetRoute, listWorkspacesRoute } from "./workspaces";

/** Every /api/v1 route, for the OpenAPI document and the tests that loop over them. Add new routes here. */
export const API_ROUTES: readonly ApiRoute[] = [listPinsRoute, listWorkspacesRoute, fleetRoute, getOperationRoute, listAuditRoute];
