import { describe, expect, it } from "vitest";

import { storeDigestMetadata } from "@/lib/db/ledger/digest-metadata";
import { recordSighting } from "@/lib/db/ledger/record-digest";
import { promotePin, rollbackPin } from "@/lib/db/pins";
import { NotFoundError } from "@/lib/domain/errors";
import { liftQuarantineResponseSchema, templateDigestsResponseSchema } from "@/lib/schemas/ledger";
import { availableBackends } from "@/test/databases";
import { LEDGER_TABLES } from "@/test/ledger-fixtures";
import { useTestDatabase } from "@/test/use-test-database";

import { liftQuarantineResponse, templateDigestsResponse } from "./api";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const C = `sha256:${"c".repeat(64)}`;
const T = "claude-code";

describe.each(availableBackends())("ledger API functions on %s", (backend) => {
  const db = useTestDatabase(backend, {
    truncate: [...LEDGER_TABLES, "runtime_image_pins", "runtime_image_pin_history", "audit_log", "workspaces"],
  });

  it("serves the ledger in the response schema's shape, with each state", async () => {
    await promotePin(db(), { templateName: T, digest: A, expectedDigest: null, reason: "one" }, "ops@example.com");
    await promotePin(db(), { templateName: T, digest: B, expectedDigest: A, reason: "two" }, "ops@example.com");
    await rollbackPin(db(), { templateName: T, expectedDigest: B, reason: "two is broken" }, "ops@example.com");
    await recordSighting(db(), { templateName: T, digest: C, via: "watcher", tag: "latest" });
    await storeDigestMetadata(db(), T, C, {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      platforms: ["linux/amd64"],
      configCreated: new Date("2026-11-30T10:00:00Z"),
      labels: { revision: "abc", source: "https://github.com/a/b", version: "2", created: null },
      compressedSize: 1234,
    });
    await db().workspace.createMany({
      data: [
        { name: "w", runtime: T, status: "online", runtimeImageDigest: A },
        { name: "w-edge-1", runtime: T, status: "online", runtimeImageDigest: A, host: "edge" },
        { name: "w-edge-2", runtime: T, status: "paused", runtimeImageDigest: A, host: "edge" },
        { name: "w-gone", runtime: T, status: "removed", runtimeImageDigest: A, host: "old" },
      ],
    });

    const response = await templateDigestsResponse(db(), T);

    expect(templateDigestsResponseSchema.parse(response)).toEqual(response);
    const byDigest = new Map(response.digests.map((row) => [row.digest, row]));
    // Where the fleet runs it: per host, most first; removed workspaces count nowhere.
    expect(byDigest.get(A)).toMatchObject({
      state: "pinned",
      workspaces: 3,
      hosts: [
        { host: "edge", workspaces: 2 },
        { host: "local", workspaces: 1 },
      ],
    });
    expect(byDigest.get(B)).toMatchObject({ state: "quarantined", quarantine: { reason: "two is broken" } });
    expect(byDigest.get(C)).toMatchObject({
      state: "candidate",
      revision: "abc",
      size: 1234,
      created: "2026-11-30T10:00:00.000Z",
      tags: [{ tag: "latest", until: null }],
      hosts: [],
    });

    const lifted = await liftQuarantineResponse(
      db(),
      { templateName: T, digest: B, reason: "rebuilt" },
      "ops@example.com",
    );
    expect(liftQuarantineResponseSchema.parse(lifted)).toMatchObject({
      digest: B,
      lifted: true,
      quarantine: { reason: "two is broken" },
    });
    expect((await templateDigestsResponse(db(), T)).digests.find((row) => row.digest === B)?.state).toBe("previous");
  });

  it("refuses unknown templates", async () => {
    await expect(templateDigestsResponse(db(), "nope")).rejects.toBeInstanceOf(NotFoundError);
  });
});
