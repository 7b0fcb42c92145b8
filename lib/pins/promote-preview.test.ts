import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { promotePin } from "@/lib/db/pins";
import { availableBackends, servicesRequired } from "@/test/databases";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";
import { labelChanges, LEDGER_TABLES, OCI_TEST_LABELS } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { previewPromote } from "./promote-preview";

const registryHost = process.env.TEST_REGISTRY_HOST;
if (!registryHost && servicesRequired)
  throw new Error("TEST_REGISTRY_HOST is not set: the promote preview test needs the test registry");
const T = "openclaw";
const ns = `fp-preview-${randomBytes(4).toString("hex")}`;
const SOURCE = OCI_TEST_LABELS["org.opencontainers.image.source"];

describe.skipIf(!registryHost)("promote preview against the test registry", () => {
  let v1: PushedImage;
  let v2: PushedImage;
  beforeAll(async () => {
    const image = (tag: string, revision: string, extra = "") =>
      buildAndPushTestImage({
        repository: `${ns}/workspace-template-${T}`,
        tag,
        marker: `${ns}-${tag}${extra}`,
        changes: labelChanges({
          ...OCI_TEST_LABELS,
          "org.opencontainers.image.revision": revision,
          "org.opencontainers.image.version": tag,
        }),
      });
    v1 = await image("v1", "1111111");
    v2 = await image("v2", "2222222", "-with-a-longer-marker-so-the-size-differs".repeat(40));
  }, 120_000);

  describe.each(availableBackends())("on %s", (backend) => {
    const db = useTestDatabase(backend, {
      truncate: [...LEDGER_TABLES, "runtime_image_pins", "runtime_image_pin_history", "workspaces"],
    });
    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      FLEETPIN_MIN_DIGEST_AGE: undefined,
      MOLECULE_IMAGE_REGISTRY: `${registryHost}/${ns}`,
      ...extra,
    });

    it("shows from → to with tags, created, revisions and their compare link, size delta, platforms, cool-down and the stale count after", async () => {
      await promotePin(
        db(),
        { templateName: T, digest: v1.digest, expectedDigest: null, reason: "first" },
        "ops@example.com",
      );
      await db().workspace.createMany({
        data: [
          { name: "on-v1-a", runtime: T, status: "online", runtimeImageDigest: v1.digest },
          { name: "on-v1-b", runtime: T, status: "online", runtimeImageDigest: v1.digest },
          { name: "on-v2", runtime: T, status: "online", runtimeImageDigest: v2.digest },
          { name: "unknown", runtime: T, status: "online" },
          { name: "removed", runtime: T, status: "removed", runtimeImageDigest: v1.digest },
        ],
      });

      const preview = await previewPromote(
        db(),
        { templateName: T, digestOrTag: "v2" },
        { env: env({ FLEETPIN_MIN_DIGEST_AGE: "86400" }) },
      );

      expect(preview.from).toMatchObject({
        digest: v1.digest,
        state: "pinned",
        revision: "1111111",
        version: "v1",
        source: SOURCE,
      });
      expect(preview.to).toMatchObject({ digest: v2.digest, revision: "2222222", version: "v2", quarantine: null });
      expect(preview.to.created).toBeInstanceOf(Date);
      expect(preview.to.platforms).toHaveLength(1);
      expect(preview.compareUrl).toBe(`${SOURCE}/compare/1111111...2222222`);
      expect(preview.sizeDelta).toBe(preview.to.size! - preview.from!.size!);
      expect(preview.sizeDelta).not.toBe(0);
      expect(preview.coolDown).toMatchObject({ minAgeSeconds: 86400, satisfied: false });
      expect(preview.blocked).toMatch(/cool-down/);
      expect(preview).toMatchObject({ fleet: 4, staleAfter: 3 });
    });

    it("says when the target is the pin already", async () => {
      await promotePin(
        db(),
        { templateName: T, digest: v1.digest, expectedDigest: null, reason: "first" },
        "ops@example.com",
      );
      const preview = await previewPromote(db(), { templateName: T, digestOrTag: v1.digest }, { env: env() });
      expect(preview).toMatchObject({
        blocked: "already pinned",
        compareUrl: null,
        sizeDelta: 0,
        coolDown: { satisfied: true },
      });
    });
  });
});
