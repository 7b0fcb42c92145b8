import { describe, expect, it } from "vitest";

import { parsePullStream, PullProgressTracker } from "./pull-progress";

// Recorded from dockerd 20.10 (POST /images/create against the test registry), host rewritten.
const PULLED = String.raw`
{"status":"Pulling from fp-rec-sample/img","id":"ok"}
{"status":"Pulling fs layer","progressDetail":{},"id":"b8f99fc22518"}
{"status":"Downloading","progressDetail":{"current":69213,"total":4065840},"progress":"[\u003e                                                  ]  69.21kB/4.066MB","id":"b8f99fc22518"}
{"status":"Downloading","progressDetail":{"current":4065840,"total":4065840},"progress":"[==================================================\u003e]  4.066MB/4.066MB","id":"b8f99fc22518"}
{"status":"Verifying Checksum","progressDetail":{},"id":"b8f99fc22518"}
{"status":"Download complete","progressDetail":{},"id":"b8f99fc22518"}
{"status":"Extracting","progressDetail":{"current":65536,"total":4065840},"progress":"[\u003e                                                  ]  65.54kB/4.066MB","id":"b8f99fc22518"}
{"status":"Extracting","progressDetail":{"current":1769472,"total":4065840},"progress":"[=====================\u003e                             ]  1.769MB/4.066MB","id":"b8f99fc22518"}
{"status":"Extracting","progressDetail":{"current":4065840,"total":4065840},"progress":"[==================================================\u003e]  4.066MB/4.066MB","id":"b8f99fc22518"}
{"status":"Pull complete","progressDetail":{},"id":"b8f99fc22518"}
{"status":"Digest: sha256:9f739f5ccc99a6e391db13e1307cf4c5e6b2aa2fa9bd2b6bc813dd266c8298ac"}
{"status":"Status: Downloaded newer image for 127.0.0.1:5000/fp-rec-sample/img:ok"}
`;

// Same image after its layer blob was deleted from the registry: HTTP 200, error inside the stream.
const BLOB_MISSING = String.raw`
{"status":"Pulling from fp-rec-sample/img","id":"ok"}
{"status":"Pulling fs layer","progressDetail":{},"id":"b8f99fc22518"}
{"status":"Downloading","progressDetail":{},"id":"b8f99fc22518"}
{"errorDetail":{"message":"unknown blob"},"error":"unknown blob"}
`;

const UP_TO_DATE = String.raw`
{"status":"Pulling from fp-rec-sample/img","id":"ok"}
{"status":"Digest: sha256:9f739f5ccc99a6e391db13e1307cf4c5e6b2aa2fa9bd2b6bc813dd266c8298ac"}
{"status":"Status: Image is up to date for 127.0.0.1:5000/fp-rec-sample/img:ok"}
`;

function feed(body: string) {
  const tracker = new PullProgressTracker("127.0.0.1:5000/fp-rec-sample/img:ok");
  const progress = parsePullStream(body).map((event) => tracker.push(event));
  return { tracker, progress };
}

describe("PullProgressTracker", () => {
  it("aggregates a successful pull into a rising percentage that ends at 100", () => {
    const { tracker, progress } = feed(PULLED);
    const percents = progress.map((p) => p.percent);
    expect(percents[0]).toBeNull(); // "Pulling from" names no layer yet
    const known = percents.filter((p): p is number => p !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(known).toContain(80); // download complete, not yet extracted
    expect(known.at(-1)).toBe(100);
    expect(progress.at(-1)).toMatchObject({
      layersDone: 1,
      layersTotal: 1,
      status: expect.stringContaining("Downloaded newer image"),
    });
    expect(tracker.failure()).toBeNull();
    expect(tracker.completed()).toBe(true);
    expect(tracker.upToDate()).toBe(false);
    expect(tracker.digest()).toBe("sha256:9f739f5ccc99a6e391db13e1307cf4c5e6b2aa2fa9bd2b6bc813dd266c8298ac");
  });

  it("reports the error event that followProgress would let through as a success (G9)", () => {
    const { tracker, progress } = feed(BLOB_MISSING);
    expect(tracker.failure()).toBe("unknown blob");
    expect(tracker.completed()).toBe(false);
    expect(progress.at(-1)).toMatchObject({ status: "unknown blob" });
    expect(progress.at(-1)?.percent).not.toBe(100);
  });

  it("keeps the first error and never reports 100% after one", () => {
    const tracker = new PullProgressTracker("x");
    tracker.push({ error: "first", errorDetail: { message: "first detail" } });
    tracker.push({ error: "second" });
    const last = tracker.push({ status: "Status: Downloaded newer image for x" });
    expect(tracker.failure()).toBe("first detail");
    expect(last.percent).not.toBe(100);
  });

  it("recognises an up-to-date image", () => {
    const { tracker, progress } = feed(UP_TO_DATE);
    expect(tracker.upToDate()).toBe(true);
    expect(tracker.completed()).toBe(true);
    expect(progress.at(-1)?.percent).toBe(100);
  });

  it("averages several layers and does not go backwards when a download restarts", () => {
    const tracker = new PullProgressTracker("x");
    tracker.push({ status: "Already exists", id: "aaa" });
    tracker.push({ status: "Pulling fs layer", id: "bbb" });
    expect(
      tracker.push({ status: "Downloading", id: "bbb", progressDetail: { current: 50, total: 100 } }).percent,
    ).toBe(70);
    // A retried download starts again at 0 bytes.
    expect(tracker.push({ status: "Downloading", id: "bbb", progressDetail: { current: 0, total: 100 } }).percent).toBe(
      70,
    );
    expect(tracker.push({ status: "Retrying in 5 seconds", id: "bbb" }).layersTotal).toBe(2);
  });

  it("rejects a malformed line instead of guessing", () => {
    expect(() => parsePullStream('{"status":"ok"}\nnot json\n')).toThrow();
  });
});
