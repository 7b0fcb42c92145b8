/**
 * The one schema of Fleetpin's configuration: every environment variable it reads, parsed once
 * into typed settings grouped by area. README's configuration table lists exactly these
 * variables (readme-agreement.test.ts checks). Bench and test variables are not configuration.
 */
import { z } from "zod";

import { auth, log, server } from "./auth";
import { database } from "./database";
import { docker, images } from "./docker";
import { api, ledger, webhooks, workers } from "./integrations";
import { registry } from "./registry";
import { healthGate, liveState, repair, reprovision } from "./workspaces";

const shape = {
  ...database.shape,
  ...docker.shape,
  ...images.shape,
  ...registry.shape,
  ...reprovision.shape,
  ...healthGate.shape,
  ...repair.shape,
  ...liveState.shape,
  ...auth.shape,
  ...server.shape,
  ...log.shape,
  ...api.shape,
  ...ledger.shape,
  ...webhooks.shape,
  ...workers.shape,
};

export const configSchema = z.object(shape).transform((values, ctx) => ({
  database: database.build(values, ctx),
  docker: docker.build(values, ctx),
  images: images.build(values, ctx),
  registry: registry.build(values, ctx),
  reprovision: reprovision.build(values, ctx),
  healthGate: healthGate.build(values, ctx),
  repair: repair.build(values, ctx),
  liveState: liveState.build(values, ctx),
  auth: auth.build(values, ctx),
  server: server.build(values, ctx),
  log: log.build(values, ctx),
  api: api.build(values, ctx),
  ledger: ledger.build(values, ctx),
  webhooks: webhooks.build(values, ctx),
  workers: workers.build(values, ctx),
}));

/** Every variable the schema reads, in table order. */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(shape));

type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The parsed configuration (frozen). */
export type Config = DeepReadonly<z.output<typeof configSchema>>;
