import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { recordSighting } from "./record-digest";
import { recordRunningDigestsTx } from "./running-digests";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe.each(availableBackends())("ledger sightings on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["template_digests", "template_digest_tags", "workspaces"] });

  it("records the digests live workspaces run, once, adding 'running' to a digest already known", async () => {
    await recordSighting(db(), { templateName: "codex", digest: A, via: "watcher", tag: "latest" });
    await db().workspace.createMany({
      data: [
        { name: "w1", runtime: "codex", status: "online", runtimeImageDigest: A },
        { name: "w2", runtime: "codex", status: "online", runtimeImageDigest: B },
        { name: "w3", runtime: "codex", status: "online", runtimeImageDigest: B },
        { name: "gone", runtime: "hermes", status: "removed", runtimeImageDigest: B },
        { name: "odd", runtime: "hermes", status: "online", runtimeImageDigest: "not-a-digest" },
      ],
    });

    await db().$transaction((tx) => recordRunningDigestsTx(tx));
    await db().$transaction((tx) => recordRunningDigestsTx(tx));

    const rows = await db().templateDigest.findMany({
      orderBy: { digest: "asc" },
      select: { templateName: true, digest: true, firstSeenVia: true, seenVia: true },
    });
    expect(rows).toEqual([
      { templateName: "codex", digest: A, firstSeenVia: "watcher", seenVia: ["watcher", "running"] },
      { templateName: "codex", digest: B, firstSeenVia: "running", seenVia: ["running"] },
    ]);
  });

  it("a sighting repeated, or with the same tag, changes nothing; a second tag is its own pointer", async () => {
    expect(await recordSighting(db(), { templateName: "codex", digest: A, via: "watcher", tag: "latest" })).toEqual({
      newDigest: true,
      tagMoved: true,
    });
    expect(await recordSighting(db(), { templateName: "codex", digest: A, via: "watcher", tag: "latest" })).toEqual({
      newDigest: false,
      tagMoved: false,
    });
    expect(await recordSighting(db(), { templateName: "codex", digest: A, via: "push_event", tag: "stable" })).toEqual({
      newDigest: false,
      tagMoved: true,
    });
    expect(await recordSighting(db(), { templateName: "codex", digest: B, via: "push_event", tag: "latest" })).toEqual({
      newDigest: true,
      tagMoved: true,
    });
    const open = await db().templateDigestTag.findMany({
      where: { pointedUntil: null },
      orderBy: { tag: "asc" },
      select: { tag: true, digest: true },
    });
    expect(open).toEqual([
      { tag: "latest", digest: B },
      { tag: "stable", digest: A },
    ]);
    expect(await db().templateDigestTag.count()).toBe(3);
  });
});
