// The ledger's settings routes against the test registry: a per-template cool-down set through the
// API is the one a promote through the API meets, and its override is audited.
import { beforeAll, describe, expect, it } from "vitest";

import { callRoute, makeToken, testApiDeps } from "@/test/api-client";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, dockerTestEnv, pushTemplateImage, randomSuffix, testNamespace } from "@/test/docker";
import type { PushedImage } from "@/test/images";
import { LEDGER_TABLES } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { putTemplateSettingsRoute, templateSettingsRoute } from "./ledger";
import { promoteRoute } from "./pin-changes";

const T = "hermes";

describe.runIf(dockerServicesAvailable()).each(availableBackends())("API v1 template settings on %s", (backend) => {
  const namespace = testNamespace("api-settings");
  const db = useTestDatabase(backend, {
    truncate: [...LEDGER_TABLES, "api_tokens", "audit_log", "runtime_image_pins", "runtime_image_pin_history"],
  });
  const deps = testApiDeps(db, { env: { ...dockerTestEnv(namespace), FLEETPIN_MIN_DIGEST_AGE: "0" } });
  let image: PushedImage;
  beforeAll(async () => {
    image = await pushTemplateImage({ namespace, runtime: T, marker: `settings-${randomSuffix()}`, tag: "v1" });
  }, 120_000);

  it("sets a template's cool-down and watched tags, which a promote then meets; an override reason passes it, audited", async () => {
    const { token } = await makeToken(db(), "operator", { name: "ci" });
    const call = (route: typeof templateSettingsRoute, body?: unknown) =>
      callRoute(route, deps, `/templates/${T}/settings`, { template: T }, { token, body });

    expect((await call(templateSettingsRoute)).body).toEqual({
      template: T,
      min_digest_age_seconds: null,
      watched_tags: null,
      effective: { min_digest_age_seconds: 0, watched_tags: ["latest"] },
    });
    const put = await call(putTemplateSettingsRoute, {
      min_digest_age_seconds: 3600,
      watched_tags: ["latest", "stable"],
      reason: "soak releases for an hour",
    });
    expect(put).toMatchObject({
      status: 200,
      body: {
        min_digest_age_seconds: 3600,
        effective: { min_digest_age_seconds: 3600, watched_tags: ["latest", "stable"] },
      },
    });
    expect((await call(templateSettingsRoute)).body).toMatchObject({ min_digest_age_seconds: 3600 });
    const audit = await db().auditLog.findFirst({ where: { action: "template.settings" } });
    expect(audit).toMatchObject({ templateName: T, reason: "soak releases for an hour" });

    const promote = (extra: Record<string, string> = {}) =>
      callRoute(
        promoteRoute,
        deps,
        `/pins/${T}/promote`,
        { template: T },
        { token, body: { tag: "v1", expected_digest: null, reason: "release", ...extra } },
      );
    const early = await promote();
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      code: "conflict",
      reason: "cool_down",
      detail: expect.stringMatching(/cool-down/),
    });
    expect(await db().runtimeImagePin.count()).toBe(0);
    const overridden = await promote({ cool_down_override_reason: "hotfix for an outage" });
    expect(overridden.status).toBe(200);
    expect((await db().runtimeImagePin.findUnique({ where: { templateName: T } }))?.digest).toBe(image.digest);
    expect(await db().auditLog.findFirst({ where: { action: "digest.cool_down_override" } })).toMatchObject({
      targetId: image.digest,
      reason: "hotfix for an outage",
    });

    // Null (or left out) follows the env defaults again.
    expect((await call(putTemplateSettingsRoute, { min_digest_age_seconds: null })).body).toMatchObject({
      min_digest_age_seconds: null,
      watched_tags: null,
      effective: { min_digest_age_seconds: 0, watched_tags: ["latest"] },
    });
  });

  it("refuses a bad tag or a negative cool-down, and an unknown template, changing nothing", async () => {
    const { token } = await makeToken(db(), "operator");
    const put = (template: string, body: unknown) =>
      callRoute(putTemplateSettingsRoute, deps, `/templates/${template}/settings`, { template }, { token, body });

    expect((await put(T, { watched_tags: ["-bad tag"] })).status).toBe(422);
    expect((await put(T, { min_digest_age_seconds: -1 })).status).toBe(422);
    expect((await put("no-such-template", { min_digest_age_seconds: 60 })).status).toBe(404);
    expect(await db().templateSettings.count()).toBe(0);
  });
});
