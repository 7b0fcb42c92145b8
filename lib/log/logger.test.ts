import { Writable } from "node:stream";

import { afterEach, describe, expect, it } from "vitest";

import { captureLogs } from "./capture";
import { createLogger, getLogger } from "./logger";

function collect(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe("createLogger", () => {
  it("writes one JSON line per call, level as a word, and a child carries its operation id", () => {
    const { stream, lines } = collect();
    const log = createLogger({ level: "info", destination: stream }).child({ source: "bulk", operationId: "op-1" });
    log.child({ workspaceId: "ws-9" }).warn({ event: "item_slow" }, "item is slow");
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        source: "bulk",
        operationId: "op-1",
        workspaceId: "ws-9",
        event: "item_slow",
        msg: "item is slow",
      }),
    ]);
    expect(typeof lines[0]!.time).toBe("string");
  });

  it("drops lines below its level", () => {
    const { stream, lines } = collect();
    const log = createLogger({ level: "warn", destination: stream });
    log.info("not written");
    log.debug("not written");
    log.error("written");
    expect(lines.map((line) => line.msg)).toEqual(["written"]);
  });
});

describe("getLogger", () => {
  let restore = () => undefined as void;
  afterEach(() => restore());

  it("goes through the root a test swapped in, with the bindings it was given", () => {
    const captured = captureLogs();
    restore = captured.restore;
    getLogger({ source: "operations", operationId: "op-2" }).info({ event: "operation_not_claimed" }, "not claimed");
    expect(captured.lines).toEqual([
      expect.objectContaining({
        level: "info",
        source: "operations",
        operationId: "op-2",
        event: "operation_not_claimed",
      }),
    ]);
  });
});
