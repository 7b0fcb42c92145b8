import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CountingProxy } from "@/bench/registry-proxy";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { LEDGER_TABLES, requestLines, startRegistryProxy } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { listTemplateDigests } from "./list-ledger";
import { receiveRegistryEvents } from "./receive-events";

const T = "langgraph";
const TOKEN = "registry-events-test-token";
const V2 = "application/vnd.docker.distribution.manifest.v2+json";

describe.skipIf(!dockerServicesAvailable()).each(availableBackends())("registry push events on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: LEDGER_TABLES });
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startRegistryProxy();
  });
  afterAll(async () => {
    await proxy.close();
  });

  const envelope = (namespace: string, digest: string, tag = "latest") =>
    JSON.stringify({
      events: [
        {
          id: randomSuffix(),
          timestamp: new Date().toISOString(),
          action: "push",
          target: { mediaType: V2, size: 528, digest, repository: `${namespace}/workspace-template-${T}`, tag },
        },
        {
          id: randomSuffix(),
          action: "push",
          target: {
            mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
            digest: `sha256:${"e".repeat(64)}`,
            repository: `${namespace}/workspace-template-${T}`,
          },
        },
      ],
    });

  it("refuses a bad secret, and everything while the token is unset, recording nothing", async () => {
    const namespace = testNamespace("events-refused");
    const body = envelope(namespace, `sha256:${"a".repeat(64)}`);
    const env = { MOLECULE_IMAGE_REGISTRY: `${proxy.host}/${namespace}`, FLEETPIN_REGISTRY_EVENTS_TOKEN: TOKEN };

    expect((await receiveRegistryEvents(db(), { authorization: "Bearer wrong-token", body }, env)).status).toBe(401);
    expect((await receiveRegistryEvents(db(), { authorization: null, body }, env)).status).toBe(401);
    const { FLEETPIN_REGISTRY_EVENTS_TOKEN: _, ...unset } = env;
    expect((await receiveRegistryEvents(db(), { authorization: `Bearer ${TOKEN}`, body }, unset)).status).toBe(503);
    expect(await db().templateDigest.count()).toBe(0);
  });

  it("records a push at once with the right secret, reads its metadata once, and a duplicate adds nothing", async () => {
    const namespace = testNamespace("events");
    const image = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `event-${randomSuffix()}` });
    const env = { MOLECULE_IMAGE_REGISTRY: `${proxy.host}/${namespace}`, FLEETPIN_REGISTRY_EVENTS_TOKEN: TOKEN };
    proxy.reset();

    const first = await receiveRegistryEvents(
      db(),
      { authorization: `Bearer ${TOKEN}`, body: envelope(namespace, image.digest) },
      env,
    );
    expect(first).toMatchObject({ status: 200, body: { ok: true, recorded: 1, skipped: 1 } });
    const [recorded] = await listTemplateDigests(db(), T);
    expect(recorded).toMatchObject({ digest: image.digest, firstSeenVia: "push_event", state: "candidate" });
    await first.metadata;
    // The tag once the registry confirmed it (one HEAD), then the manifest and config blob, once.
    expect((await listTemplateDigests(db(), T))[0]!.tags).toMatchObject([{ tag: "latest", until: null }]);
    expect(requestLines(proxy.requests()).map((line) => line.split(" ")[0])).toEqual(["HEAD", "GET", "GET"]);

    proxy.reset();
    const duplicate = await receiveRegistryEvents(
      db(),
      { authorization: `Bearer ${TOKEN}`, body: envelope(namespace, image.digest) },
      env,
    );
    await duplicate.metadata;
    expect(duplicate.status).toBe(200);
    expect(proxy.requests()).toEqual([]);
    const ledger = await listTemplateDigests(db(), T);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.mediaType).toBe(V2);
    expect(await db().templateDigestTag.count()).toBe(1);
  });

  it("a late event never moves a tag back: the registry's answer is recorded, the old digest keeps no tag", async () => {
    const namespace = testNamespace("events-late");
    const older = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `old-${randomSuffix()}` });
    const newer = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `new-${randomSuffix()}` });
    const env = { MOLECULE_IMAGE_REGISTRY: `${proxy.host}/${namespace}`, FLEETPIN_REGISTRY_EVENTS_TOKEN: TOKEN };
    const send = async (digest: string) => {
      const outcome = await receiveRegistryEvents(
        db(),
        { authorization: `Bearer ${TOKEN}`, body: envelope(namespace, digest) },
        env,
      );
      await outcome.metadata;
      expect(outcome.status).toBe(200);
    };

    await send(newer.digest);
    await send(older.digest);
    proxy.reset();
    await send(older.digest);

    const ledger = await listTemplateDigests(db(), T);
    expect(ledger.map((row) => row.digest).sort()).toEqual([older.digest, newer.digest].sort());
    expect(ledger.find((row) => row.digest === newer.digest)!.tags).toMatchObject([{ tag: "latest", until: null }]);
    expect(ledger.find((row) => row.digest === older.digest)!.tags).toEqual([]);
    expect(await db().templateDigestTag.count()).toBe(1);
    // The replayed late event asks where :latest is (one HEAD) and reads nothing else.
    expect(requestLines(proxy.requests())).toEqual(["HEAD manifests/latest"]);
  });

  it("answers 400 for a body that is not an envelope", async () => {
    const env = { FLEETPIN_REGISTRY_EVENTS_TOKEN: TOKEN };
    expect(
      (await receiveRegistryEvents(db(), { authorization: `Bearer ${TOKEN}`, body: "{not json" }, env)).status,
    ).toBe(400);
    expect(
      (await receiveRegistryEvents(db(), { authorization: `Bearer ${TOKEN}`, body: '{"events":"x"}' }, env)).status,
    ).toBe(400);
  });
});
