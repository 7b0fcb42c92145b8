import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CountingProxy } from "@/bench/registry-proxy";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import { buildAndPushTestImage } from "@/test/images";
import {
  labelChanges,
  LEDGER_TABLES,
  OCI_TEST_LABELS,
  pushTestIndex,
  requestLines,
  startRegistryProxy,
} from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";
import { waitFor } from "@/test/wait-for";

import { listTemplateDigests } from "./list-ledger";
import { startWatchLoop } from "./watch-loop";
import { runWatchTick } from "./watcher";

const T = "codex";

describe.skipIf(!dockerServicesAvailable()).each(availableBackends())(
  "tag watcher against the test registry on %s",
  (backend) => {
    const db = useTestDatabase(backend, {
      truncate: [...LEDGER_TABLES, "runtime_image_pins", "runtime_image_pin_history"],
    });
    let proxy: CountingProxy;
    beforeAll(async () => {
      proxy = await startRegistryProxy();
    });
    afterAll(async () => {
      await proxy.close();
    });

    // Interval 0: every direct tick may claim (the claim gap is a share of the interval).
    const envFor = (namespace: string, extra: Record<string, string> = {}) => ({
      MOLECULE_IMAGE_REGISTRY: `${proxy.host}/${namespace}`,
      FLEETPIN_WATCH_INTERVAL: "0",
      ...extra,
    });

    it("records a new :latest as one candidate with its labels and created date; HEAD only once it is known", async () => {
      const namespace = testNamespace("watch");
      const image = await buildAndPushTestImage({
        repository: `${namespace}/workspace-template-${T}`,
        tag: "latest",
        marker: `labelled-${randomSuffix()}`,
        changes: labelChanges(OCI_TEST_LABELS),
      });
      const env = envFor(namespace);

      proxy.reset();
      const [first] = await runWatchTick({ db: db(), env, templates: [T] });
      expect(first).toMatchObject({ claimed: true, newDigests: [image.digest], error: null });
      const lines = requestLines(proxy.requests());
      expect(lines[0]).toBe("HEAD manifests/latest");
      expect(lines.slice(1).map((line) => line.replace(/sha256:[0-9a-f]{64}/, "<digest>"))).toEqual([
        "GET manifests/<digest>",
        "GET blobs/<digest>",
      ]);
      expect(lines[1]).toBe(`GET manifests/${image.digest}`);

      proxy.reset();
      const [again] = await runWatchTick({ db: db(), env, templates: [T] });
      expect(again).toMatchObject({ claimed: true, newDigests: [], movedTags: [], error: null });
      expect(requestLines(proxy.requests())).toEqual(["HEAD manifests/latest"]);

      const ledger = await listTemplateDigests(db(), T);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({
        digest: image.digest,
        state: "candidate",
        firstSeenVia: "watcher",
        mediaType: "application/vnd.docker.distribution.manifest.v2+json",
        labels: {
          revision: OCI_TEST_LABELS["org.opencontainers.image.revision"],
          source: OCI_TEST_LABELS["org.opencontainers.image.source"],
          version: "1.4.2",
          created: "2026-11-30T09:00:00Z",
        },
        tags: [{ tag: "latest", until: null }],
        workspaces: 0,
      });
      expect(ledger[0]!.configCreated).toBeInstanceOf(Date);
      expect(ledger[0]!.compressedSize).toBeGreaterThan(1000);
      // A candidate only: the watcher never pins (nor, so, deploys) what it finds.
      expect(await db().runtimeImagePin.count()).toBe(0);
      expect(await db().runtimeImagePinHistory.count()).toBe(0);
      expect(ledger[0]!.platforms).toEqual([`linux/${process.arch === "x64" ? "amd64" : process.arch}`]);
    });

    it("reads an index's platforms from the index and its config through the host platform's child", async () => {
      const namespace = testNamespace("watch-index");
      const index = await pushTestIndex(namespace, T, "latest", `index-${randomSuffix()}`);
      const hostPlatform = `linux/${process.arch === "x64" ? "amd64" : process.arch}`;
      proxy.reset();

      const [result] = await runWatchTick({
        db: db(),
        env: envFor(namespace, { MOLECULE_IMAGE_PLATFORM: hostPlatform }),
        templates: [T],
      });

      expect(result!.newDigests).toEqual([index.digest]);
      expect(requestLines(proxy.requests())).toEqual([
        "HEAD manifests/latest",
        `GET manifests/${index.digest}`,
        `GET manifests/${index.children[0]}`,
        expect.stringMatching(/^GET blobs\/sha256:/),
      ]);
      const [row] = await listTemplateDigests(db(), T);
      expect(row!.mediaType).toBe("application/vnd.docker.distribution.manifest.list.v2+json");
      // In the index's own order, which `docker manifest create` chooses.
      expect([...row!.platforms!].sort()).toEqual([hostPlatform, "linux/arm64/v8"].sort());
      expect(row!.configCreated).toBeInstanceOf(Date);
    });

    it("a moved tag closes the old pointer and opens one on the new digest", async () => {
      const namespace = testNamespace("watch-move");
      const one = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `one-${randomSuffix()}` });
      const env = envFor(namespace);
      await runWatchTick({ db: db(), env, templates: [T] });
      const two = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `two-${randomSuffix()}` });

      const [moved] = await runWatchTick({ db: db(), env, templates: [T] });

      expect(moved).toMatchObject({ newDigests: [two.digest], movedTags: [{ tag: "latest", digest: two.digest }] });
      const ledger = await listTemplateDigests(db(), T);
      expect(ledger.map((row) => row.digest)).toEqual([two.digest, one.digest]);
      expect(ledger[1]!.tags[0]!.until).toBeInstanceOf(Date);
      expect(ledger[0]!.tags[0]!.until).toBeNull();
    });

    it("stores a missing tag as the template's error and goes on with the other templates", async () => {
      const namespace = testNamespace("watch-missing");
      const pushed = await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `ok-${randomSuffix()}` });
      proxy.reset();

      const results = await runWatchTick({ db: db(), env: envFor(namespace), templates: ["hermes", T] });

      expect(results.find((r) => r.templateName === "hermes")?.error).toMatch(/tag "latest" not found/);
      expect(results.find((r) => r.templateName === T)?.newDigests).toEqual([pushed.digest]);
      const watch = await db().templateWatch.findUnique({ where: { templateName: "hermes" } });
      expect(watch?.watchError).toMatch(/not found/);
      // A missing tag costs its HEAD and nothing more (no tag list, no GET).
      expect(requestLines(proxy.requests()).filter((line) => line.includes("latest"))).toEqual([
        "HEAD manifests/latest",
        "HEAD manifests/latest",
      ]);
    });

    it("two processes ticking together check a template once per interval", async () => {
      const namespace = testNamespace("watch-claim");
      await pushTemplateImage({ namespace, runtime: T, tag: "latest", marker: `claim-${randomSuffix()}` });
      const env = envFor(namespace, { FLEETPIN_WATCH_INTERVAL: "600" });

      const [a, b] = await Promise.all([
        runWatchTick({ db: db(), env, templates: [T], holder: "process-a" }),
        runWatchTick({ db: db(), env, templates: [T], holder: "process-b" }),
      ]);

      expect([a[0]!.claimed, b[0]!.claimed].sort()).toEqual([false, true]);
    });

    it("the loop finds a new :latest within one short interval, asking for the tag by HEAD only", async () => {
      const namespace = testNamespace("watch-loop");
      const env = envFor(namespace, { FLEETPIN_WATCH_INTERVAL: "1" });
      const first = await pushTemplateImage({
        namespace,
        runtime: T,
        tag: "latest",
        marker: `loop1-${randomSuffix()}`,
      });
      proxy.reset();
      const stop = startWatchLoop({ db: async () => db(), env });
      try {
        await waitFor(
          async () => (await listTemplateDigests(db(), T)).some((row) => row.digest === first.digest),
          "the first :latest in the ledger",
          30_000,
        );
        const second = await pushTemplateImage({
          namespace,
          runtime: T,
          tag: "latest",
          marker: `loop2-${randomSuffix()}`,
        });
        await waitFor(
          async () =>
            (await listTemplateDigests(db(), T)).some(
              (row) => row.digest === second.digest && row.state === "candidate",
            ),
          "the new :latest as a candidate",
          30_000,
        );
      } finally {
        await stop();
      }
      const tagRequests = requestLines(proxy.requests()).filter((line) => line.endsWith("manifests/latest"));
      expect(tagRequests.length).toBeGreaterThan(0);
      expect(tagRequests.every((line) => line.startsWith("HEAD "))).toBe(true);
    }, 90_000);
  },
);
