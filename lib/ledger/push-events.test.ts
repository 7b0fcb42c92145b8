import { describe, expect, it } from "vitest";

import { checkEventsToken } from "./events-token";
import { pushSightings, registryEventsEnvelopeSchema } from "./push-events";

const D = `sha256:${"d".repeat(64)}`;
const repos = new Map([["molecule-ai/workspace-template-codex", "codex"]]);
const V2 = "application/vnd.docker.distribution.manifest.v2+json";
const event = (overrides: Record<string, unknown> = {}, target: Record<string, unknown> = {}) => ({
  id: "e1",
  action: "push",
  target: { mediaType: V2, digest: D, repository: "molecule-ai/workspace-template-codex", tag: "latest", ...target },
  ...overrides,
});

describe("pushSightings", () => {
  it.each([
    {
      name: "a tagged manifest push",
      events: [event()],
      sightings: [{ templateName: "codex", digest: D, tag: "latest" }],
      skipped: 0,
    },
    {
      name: "a push by digest",
      events: [event({}, { tag: undefined })],
      sightings: [{ templateName: "codex", digest: D, tag: null }],
      skipped: 0,
    },
    {
      name: "the same push twice",
      events: [event(), event()],
      sightings: [{ templateName: "codex", digest: D, tag: "latest" }],
      skipped: 0,
    },
    { name: "a pull", events: [event({ action: "pull" })], sightings: [], skipped: 1 },
    {
      name: "a layer push",
      events: [event({}, { mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip" })],
      sightings: [],
      skipped: 1,
    },
    { name: "another repository", events: [event({}, { repository: "someone/else" })], sightings: [], skipped: 1 },
    { name: "a malformed digest", events: [event({}, { digest: "sha256:nope" })], sightings: [], skipped: 1 },
    {
      name: "a malformed tag is dropped, the digest kept",
      events: [event({}, { tag: "-x" })],
      sightings: [{ templateName: "codex", digest: D, tag: null }],
      skipped: 0,
    },
  ])("$name", ({ events, sightings, skipped }) => {
    const envelope = registryEventsEnvelopeSchema.parse({ events });
    expect(pushSightings(envelope, repos)).toEqual({ sightings, skipped });
  });

  it("refuses a body that is not an envelope", () => {
    expect(registryEventsEnvelopeSchema.safeParse({ event: [] }).success).toBe(false);
    expect(registryEventsEnvelopeSchema.safeParse({ events: [{ target: "x" }] }).success).toBe(false);
  });
});

describe("checkEventsToken", () => {
  it.each([
    [undefined, "Bearer s3cret", "unset"],
    ["  ", "Bearer s3cret", "unset"],
    ["s3cret", "Bearer s3cret", "ok"],
    ["s3cret", "bearer s3cret", "ok"],
    ["s3cret", "Bearer s3cre", "bad"],
    ["s3cret", "Basic s3cret", "bad"],
    ["s3cret", null, "bad"],
    ["s3cret", "Bearer ", "bad"],
  ] as const)("token %j, header %j → %s", (token, header, result) => {
    expect(checkEventsToken(header, { FLEETPIN_REGISTRY_EVENTS_TOKEN: token })).toBe(result);
  });
});
