import { describe, expect, it } from "vitest";

import { listMissingDigests } from "@/lib/db/ledger/retention";
import { promotePin, rollbackPin } from "@/lib/db/pins";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable, pushTwoTemplateImages, testNamespace } from "@/test/docker";
import { testRegistryHost } from "@/test/images";
import { LEDGER_TABLES } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { runRetentionCheck } from "./retention-check";

const T = "crewai";

/** Deletes a manifest from the test registry (its storage has delete enabled: scripts/services/registry.sh). */
async function deleteManifest(repositoryWithHost: string, digest: string): Promise<void> {
  const slash = repositoryWithHost.indexOf("/");
  const response = await fetch(
    `http://${repositoryWithHost.slice(0, slash)}/v2/${repositoryWithHost.slice(slash + 1)}/manifests/${digest}`,
    { method: "DELETE" },
  );
  if (response.status !== 202) throw new Error(`DELETE manifest ${digest}: HTTP ${response.status}`);
}

describe.skipIf(!dockerServicesAvailable()).each(availableBackends())("retention check on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: [...LEDGER_TABLES, "runtime_image_pins", "runtime_image_pin_history", "audit_log"],
  });

  it("finds the pin and its rollback target, then flags the pinned digest once the registry deleted it", async () => {
    const namespace = testNamespace("retention");
    const { a, b } = await pushTwoTemplateImages(namespace, T);
    const env = { MOLECULE_IMAGE_REGISTRY: `${testRegistryHost()}/${namespace}` };
    await promotePin(
      db(),
      { templateName: T, digest: a.digest, expectedDigest: null, reason: "first" },
      "ops@example.com",
    );
    await promotePin(
      db(),
      { templateName: T, digest: b.digest, expectedDigest: a.digest, reason: "second" },
      "ops@example.com",
    );

    const [fine] = await runRetentionCheck({ db: db(), env, templates: [T], force: true });
    expect(fine).toMatchObject({ checked: [b.digest, a.digest], missing: [], error: null });
    expect(await listMissingDigests(db())).toEqual([]);

    await deleteManifest(b.repository, b.digest);
    const [flagged] = await runRetentionCheck({ db: db(), env, templates: [T], force: true });

    expect(flagged).toMatchObject({ missing: [b.digest], error: null });
    expect(await listMissingDigests(db())).toMatchObject([{ templateName: T, digest: b.digest, pinned: true }]);

    // Rolling back to A leaves B neither pinned nor a rollback target: its mark goes with the next check.
    await rollbackPin(
      db(),
      { templateName: T, expectedDigest: b.digest, reason: "B is gone from the registry" },
      "ops@example.com",
    );
    await runRetentionCheck({ db: db(), env, templates: [T], force: true });
    expect(await listMissingDigests(db())).toEqual([]);
  });

  it("stores an unreachable registry as the template's retention error", async () => {
    await promotePin(
      db(),
      { templateName: T, digest: `sha256:${"c".repeat(64)}`, expectedDigest: null, reason: "x" },
      "ops@example.com",
    );
    const [result] = await runRetentionCheck({
      db: db(),
      env: { MOLECULE_IMAGE_REGISTRY: "127.0.0.1:9/nothing" },
      templates: [T],
      force: true,
    });
    expect(result!.error).toMatch(/unreachable/);
    expect((await db().templateWatch.findUnique({ where: { templateName: T } }))?.retentionError).toMatch(
      /unreachable/,
    );
  });
});
