import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { liftQuarantine } from "@/lib/db/ledger/quarantine";
import { setTemplateSettings } from "@/lib/db/ledger/template-settings";
import { rollbackPin } from "@/lib/db/pins";
import { DigestCoolDownError, DigestQuarantinedError, NotFoundError } from "@/lib/domain/errors";
import { listTemplateDigests } from "@/lib/ledger/list-ledger";
import { availableBackends, servicesRequired } from "@/test/databases";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";
import { LEDGER_TABLES } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { promoteFromInput } from "./promote";

const registryHost = process.env.TEST_REGISTRY_HOST;
if (!registryHost && servicesRequired)
  throw new Error("TEST_REGISTRY_HOST is not set: promote gate tests need the test registry");
const T = "autogen";
const ns = `fp-gate-${randomBytes(4).toString("hex")}`;
const ACTOR = "alice@example.com";

describe.skipIf(!registryHost)("promote gate: cool-down and quarantine", () => {
  let v1: PushedImage;
  let v2: PushedImage;
  beforeAll(async () => {
    v1 = await buildAndPushTestImage({ repository: `${ns}/workspace-template-${T}`, tag: "v1", marker: `${ns}-v1` });
    v2 = await buildAndPushTestImage({ repository: `${ns}/workspace-template-${T}`, tag: "v2", marker: `${ns}-v2` });
  }, 120_000);

  describe.each(availableBackends())("on %s", (backend) => {
    const db = useTestDatabase(backend, {
      truncate: [...LEDGER_TABLES, "runtime_image_pins", "runtime_image_pin_history", "audit_log"],
    });
    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      FLEETPIN_MIN_DIGEST_AGE: undefined,
      MOLECULE_IMAGE_REGISTRY: `${registryHost}/${ns}`,
      ...extra,
    });
    const promote = (
      digestOrTag: string,
      expectedDigest: string | null,
      extra: Record<string, string> = {},
      coolDownOverrideReason?: string,
    ) =>
      promoteFromInput(
        db(),
        { templateName: T, digestOrTag, expectedDigest, reason: "release", coolDownOverrideReason },
        ACTOR,
        { env: env(extra) },
      );
    const pinned = async () => (await db().runtimeImagePin.findUnique({ where: { templateName: T } }))?.digest ?? null;
    const auditActions = async () =>
      (await db().auditLog.findMany({ orderBy: { id: "asc" } })).map((row) => row.action);

    it("refuses a digest younger than FLEETPIN_MIN_DIGEST_AGE, then takes it with an override reason, audited", async () => {
      const error = await promote("v1", null, { FLEETPIN_MIN_DIGEST_AGE: "3600" }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(DigestCoolDownError);
      expect((error as DigestCoolDownError).minAgeSeconds).toBe(3600);
      expect((error as Error).message).toMatch(/first seen 0 s ago.*at least 1 h/);
      expect(await pinned()).toBeNull();
      // The refused promote still taught the ledger the digest: its age counts from now.
      expect((await listTemplateDigests(db(), T)).map((row) => row.firstSeenVia)).toEqual(["promote"]);

      await promote("v1", null, { FLEETPIN_MIN_DIGEST_AGE: "3600" }, "hotfix for an outage");

      expect(await pinned()).toBe(v1.digest);
      const override = await db().auditLog.findFirst({ where: { action: "digest.cool_down_override" } });
      expect(override).toMatchObject({
        actor: ACTOR,
        targetId: v1.digest,
        templateName: T,
        reason: "hotfix for an outage",
      });
      expect(override?.before).toMatchObject({ minAgeSeconds: 3600 });
      expect(await auditActions()).toEqual(["digest.cool_down_override", "pin.promote"]);
    });

    it("a per-template cool-down of 0 overrides the env's", async () => {
      await setTemplateSettings(db(), T, { minDigestAgeSeconds: 0, watchedTags: null }, ACTOR);
      await promote("v1", null, { FLEETPIN_MIN_DIGEST_AGE: "3600" });
      expect(await pinned()).toBe(v1.digest);
    });

    it("a per-template cool-down refuses even when the env has none", async () => {
      await setTemplateSettings(db(), T, { minDigestAgeSeconds: 600, watchedTags: null }, ACTOR);
      await expect(promote("v1", null)).rejects.toBeInstanceOf(DigestCoolDownError);
    });

    it("a rolled-back digest is quarantined with the rollback's reason and cannot be promoted until lifted", async () => {
      await promote("v1", null);
      await promote("v2", v1.digest);
      await rollbackPin(
        db(),
        { templateName: T, expectedDigest: v2.digest, reason: "v2 crashes on start" },
        "bob@example.com",
      );

      const [quarantined] = (await listTemplateDigests(db(), T)).filter((row) => row.digest === v2.digest);
      expect(quarantined).toMatchObject({
        state: "quarantined",
        quarantine: { by: "bob@example.com", reason: "v2 crashes on start" },
      });
      const refused = await promote(v2.digest, v1.digest).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DigestQuarantinedError);
      expect((refused as Error).message).toMatch(
        /quarantined: bob@example.com rolled back from it .*"v2 crashes on start"/,
      );
      // By tag too: the tag resolves to the same quarantined digest.
      await expect(promote("v2", v1.digest)).rejects.toBeInstanceOf(DigestQuarantinedError);
      expect(await pinned()).toBe(v1.digest);

      await liftQuarantine(
        db(),
        { templateName: T, digest: v2.digest, reason: "fixed in the base image" },
        "carol@example.com",
      );
      await promote("v2", v1.digest);

      expect(await pinned()).toBe(v2.digest);
      const [released] = (await listTemplateDigests(db(), T)).filter((row) => row.digest === v2.digest);
      expect(released).toMatchObject({
        state: "pinned",
        quarantine: null,
        lastLift: { by: "carol@example.com", reason: "fixed in the base image" },
      });
      expect(await auditActions()).toEqual([
        "pin.promote",
        "pin.promote",
        "digest.quarantine",
        "pin.rollback",
        "digest.quarantine_lift",
        "pin.promote",
      ]);
    });

    it("lifting a quarantine that is not in force is a NotFoundError", async () => {
      await expect(
        liftQuarantine(db(), { templateName: T, digest: v1.digest, reason: "x" }, ACTOR),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
