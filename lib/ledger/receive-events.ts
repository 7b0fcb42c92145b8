import "server-only";

import { registryConfig, type Env } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { allCurrentTagPointers, recordSighting } from "@/lib/db/ledger/record-digest";
import { registryBackoffUntil } from "@/lib/db/ledger/watch-claims";
import { errorMessage } from "@/lib/domain/errors";
import { KNOWN_RUNTIMES, runtimeImageRepository } from "@/lib/domain/runtimes";
import { getLogger } from "@/lib/log/logger";
import { splitRegistryReference } from "@/lib/provisioner/registry/http";

import { confirmPushedTags } from "./confirm-pushed-tags";
import { checkEventsToken } from "./events-token";
import { fillMissingMetadata } from "./metadata-fill";
import { pushSightings, registryEventsEnvelopeSchema, type PushSighting } from "./push-events";
import { templateRegistry, type RegistryClientFactory } from "./template-registry";

/** The largest envelope read: distribution batches a few events per request. */
export const MAX_EVENTS_BODY_BYTES = 1024 * 1024;

/** The HTTP answer, and (when something new was recorded) the background tag check and metadata fetch, for tests to await. */
export type EventsOutcome = { status: number; body: Record<string, unknown>; metadata: Promise<void> };

/**
 * `POST /api/v1/registry/events`: checks the bearer token (constant time; refused while
 * FLEETPIN_REGISTRY_EVENTS_TOKEN is unset), records every pushed digest of a template manifest in
 * the ledger at once (via push_event), answers, then in the background asks the registry where
 * each pushed tag points now (one HEAD; an event is a hint, so a late or repeated one never moves
 * a tag back) and reads the new digests' metadata. A duplicate of what the ledger knows costs nothing.
 */
export async function receiveRegistryEvents(
  db: Db,
  request: { authorization: string | null; body: string },
  env?: Env,
  registryFor?: RegistryClientFactory,
): Promise<EventsOutcome> {
  const done = Promise.resolve();
  const token = checkEventsToken(request.authorization, env);
  if (token === "unset")
    return {
      status: 503,
      body: { ok: false, message: "Registry events are off: FLEETPIN_REGISTRY_EVENTS_TOKEN is not set." },
      metadata: done,
    };
  if (token === "bad")
    return { status: 401, body: { ok: false, message: "Bad or missing bearer token." }, metadata: done };
  if (Buffer.byteLength(request.body) > MAX_EVENTS_BODY_BYTES)
    return { status: 413, body: { ok: false, message: "The envelope is too large." }, metadata: done };
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    return { status: 400, body: { ok: false, message: "The body is not JSON." }, metadata: done };
  }
  const envelope = registryEventsEnvelopeSchema.safeParse(json);
  if (!envelope.success)
    return {
      status: 400,
      body: { ok: false, message: "The body is not a registry notification envelope ({events: [...]})." },
      metadata: done,
    };

  const { sightings, skipped } = pushSightings(envelope.data, templateRepositories(env));
  // The digest is recorded at once; its tag only once the registry confirms it (confirmPushedTags).
  const followUp = new Map<string, PushSighting[]>();
  // Recording a digest never moves a tag, so the tag pointers are read once, before the loop.
  const pointers = sightings.some((sighting) => sighting.tag !== null)
    ? await allCurrentTagPointers(db)
    : new Map<string, Map<string, string>>();
  for (const sighting of sightings) {
    const result = await recordSighting(db, {
      templateName: sighting.templateName,
      digest: sighting.digest,
      via: "push_event",
    });
    const tagNews = sighting.tag !== null && pointers.get(sighting.templateName)?.get(sighting.tag) !== sighting.digest;
    if (result.newDigest || tagNews)
      followUp.set(sighting.templateName, [...(followUp.get(sighting.templateName) ?? []), sighting]);
  }
  const metadata = Promise.all(
    [...followUp].map(([templateName, pushed]) => followUpQuietly(db, templateName, pushed, env, registryFor)),
  ).then(() => undefined);
  return { status: 200, body: { ok: true, recorded: sightings.length, skipped }, metadata };
}

/** Repository path in its registry → template name, for the known templates. */
export function templateRepositories(env: Env | undefined): Map<string, string> {
  return new Map(
    KNOWN_RUNTIMES.map((name) => [
      splitRegistryReference(runtimeImageRepository(name, registryConfig(env).imagePrefix)).repository,
      name,
    ]),
  );
}

/** In the background: where the pushed tags point now (one HEAD each), then the new digests' metadata (once each). */
async function followUpQuietly(
  db: Db,
  templateName: string,
  pushed: readonly PushSighting[],
  env: Env | undefined,
  registryFor?: RegistryClientFactory,
): Promise<void> {
  try {
    const where = templateRegistry(templateName, env, registryFor);
    if (await registryBackoffUntil(db, where.client.registry)) return;
    await confirmPushedTags(db, templateName, pushed, where);
    const passing = await fillMissingMetadata(db, templateName, where, env);
    if (passing)
      getLogger({ source: "digestLedger" }).warn(
        { event: "push_event_metadata_deferred", templateName, error: passing },
        "push_event_metadata_deferred",
      );
  } catch (error) {
    getLogger({ source: "digestLedger" }).warn(
      { event: "push_event_follow_up_failed", templateName, error: errorMessage(error) },
      "push_event_follow_up_failed",
    );
  }
}
