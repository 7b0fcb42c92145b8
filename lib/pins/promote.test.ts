import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { listPinHistory } from "@/lib/db/pin-overview";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { RegistryUnreachableError } from "@/lib/provisioner/registry/errors";
import { availableBackends, servicesRequired } from "@/test/databases";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";
import { freePort } from "@/test/registries";
import { useTestDatabase } from "@/test/use-test-database";

import { listTemplateTags, promoteFromInput } from "./promote";

const registryHost = process.env.TEST_REGISTRY_HOST;
if (!registryHost && servicesRequired)
  throw new Error("TEST_REGISTRY_HOST is not set: promote tests need the test registry");
const T = "hermes";
const ns = `fp-promote-${randomBytes(4).toString("hex")}`;
const env = { ...process.env, MOLECULE_IMAGE_REGISTRY: `${registryHost}/${ns}` };
const MISSING = `sha256:${"0".repeat(64)}`;

describe.skipIf(!registryHost)("promoteFromInput against the test registry", () => {
  let v1: PushedImage;
  let v2: PushedImage;

  beforeAll(async () => {
    v1 = await buildAndPushTestImage({ repository: `${ns}/workspace-template-hermes`, tag: "v1", marker: `${ns}-v1` });
    v2 = await buildAndPushTestImage({ repository: `${ns}/workspace-template-hermes`, tag: "v2", marker: `${ns}-v2` });
  }, 120_000);

  it("lists the repository's tags", async () => {
    expect(await listTemplateTags(T, { env })).toEqual(["v1", "v2"]);
  });

  it("names the registry when a template's repository does not exist there", async () => {
    await expect(listTemplateTags("codex", { env })).rejects.toThrow(/not found on registry/);
  });

  describe.each(availableBackends())("on %s", (backend) => {
    const db = useTestDatabase(backend, { truncate: ["runtime_image_pins", "runtime_image_pin_history", "audit_log"] });
    const promote = (digestOrTag: string, expectedDigest: string | null, deps = { env }) =>
      promoteFromInput(
        db(),
        { templateName: T, digestOrTag, expectedDigest, reason: "release" },
        "alice@example.com",
        deps,
      );

    const pinned = async () => (await db().runtimeImagePin.findUnique({ where: { templateName: T } }))?.digest ?? null;

    it("resolves a tag to its digest and pins that", async () => {
      const change = await promote(" v1 ", null);

      expect(change).toEqual({ templateName: T, action: "promote", fromDigest: null, toDigest: v1.digest });
      expect(await pinned()).toBe(v1.digest);
    });

    it("accepts a digest that exists in the repository", async () => {
      await promote("v1", null);

      await promote(v2.digest, v1.digest);

      expect(await pinned()).toBe(v2.digest);
      expect((await listPinHistory(db(), T)).map((h) => h.toDigest)).toEqual([v2.digest, v1.digest]);
    });

    it("refuses a digest the registry does not have, and writes nothing", async () => {
      const attempt = promote(MISSING, null);

      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toThrow(
        `${MISSING} does not exist in ${registryHost}/${ns}/workspace-template-hermes`,
      );
      expect(await pinned()).toBeNull();
      expect(await db().auditLog.count()).toBe(0);
    });

    it("refuses a tag the registry does not have", async () => {
      await expect(promote("v3", null)).rejects.toThrow(
        `Tag "v3" does not exist in ${registryHost}/${ns}/workspace-template-hermes`,
      );
      expect(await pinned()).toBeNull();
    });

    it.each([
      ["a malformed digest", "sha256:1234", /is not a digest/],
      ["something that is no tag", "v1 beta!", /neither a digest nor a tag/],
      ["nothing", "   ", /Enter a digest/],
    ])("refuses %s before asking the registry", async (_name, value, message) => {
      const attempt = promote(value, null, { env: { ...env, MOLECULE_IMAGE_REGISTRY: "127.0.0.1:1/never-asked" } });

      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toThrow(message);
    });

    it("refuses an unknown template", async () => {
      await expect(
        promoteFromInput(db(), { templateName: "nope", digestOrTag: "v1", expectedDigest: null, reason: "r" }, "a", {
          env,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("still applies optimistic concurrency after the registry check", async () => {
      await promote("v1", null);

      await expect(promote("v2", null)).rejects.toBeInstanceOf(ConflictError);
      expect(await pinned()).toBe(v1.digest);
    });

    it("reports an unreachable registry with its typed error and writes nothing", async () => {
      const port = await freePort();
      const unreachable = { env: { ...env, MOLECULE_IMAGE_REGISTRY: `127.0.0.1:${port}/${ns}` } };

      const byTag = promote("v1", null, unreachable);
      const byDigest = promote(v1.digest, null, unreachable);

      await expect(byTag).rejects.toBeInstanceOf(RegistryUnreachableError);
      await expect(byTag).rejects.toThrow(new RegExp(`registry 127\\.0\\.0\\.1:${port} is unreachable`));
      await expect(byDigest).rejects.toBeInstanceOf(RegistryUnreachableError);
      expect(await pinned()).toBeNull();
      expect(await db().runtimeImagePinHistory.count()).toBe(0);
      expect(await db().auditLog.count()).toBe(0);
    });
  });
});
