import "server-only";

import type { ApiRoute } from "@/lib/api/define-api-route";

import { listAuditRoute } from "./audit";
import { addHostRoute, deleteHostRoute, listHostsRoute } from "./hosts";
import { liftQuarantineRoute, putTemplateSettingsRoute, templateDigestsRoute, templateSettingsRoute } from "./ledger";
import { bulkReprovisionRoute, cancelOperationRoute, reprovisionOneRoute, syncRoute } from "./operation-starts";
import { getOperationRoute } from "./operations";
import { platformPromoteRoute, promoteRoute, rollbackRoute, unpinRoute } from "./pin-changes";
import { listPinsRoute, platformPinsRoute } from "./pins";
import { disableRingsRoute, listRingsRoute, replaceRingsRoute } from "./rings";
import {
  abortRolloutRoute,
  advanceRolloutRoute,
  getRolloutRoute,
  listRolloutsRoute,
  pauseRolloutRoute,
  resumeRolloutRoute,
} from "./rollouts";
import { fleetRoute, listWorkspacesRoute } from "./workspaces";

/** Every /api/v1 route, for the OpenAPI document and the tests that loop over them. Add new routes here. */
export const API_ROUTES: readonly ApiRoute[] = [
  listPinsRoute,
  promoteRoute,
  rollbackRoute,
  unpinRoute,
  platformPromoteRoute,
  platformPinsRoute,
  listWorkspacesRoute,
  fleetRoute,
  reprovisionOneRoute,
  bulkReprovisionRoute,
  syncRoute,
  getOperationRoute,
  cancelOperationRoute,
  listAuditRoute,
  templateDigestsRoute,
  liftQuarantineRoute,
  templateSettingsRoute,
  putTemplateSettingsRoute,
  listHostsRoute,
  addHostRoute,
  deleteHostRoute,
  listRingsRoute,
  replaceRingsRoute,
  disableRingsRoute,
  listRolloutsRoute,
  getRolloutRoute,
  pauseRolloutRoute,
  resumeRolloutRoute,
  abortRolloutRoute,
  advanceRolloutRoute,
];
