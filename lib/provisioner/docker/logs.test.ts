import { describe, expect, it } from "vitest";

import { demuxLogs, lastLines } from "./logs";

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe("demuxLogs", () => {
  it("joins stdout and stderr frames in order", () => {
    expect(demuxLogs(Buffer.concat([frame(1, "out 1\n"), frame(2, "err 1\n"), frame(1, "out 2\n")]))).toBe(
      "out 1\nerr 1\nout 2\n",
    );
  });
  it("reads an unframed (TTY) body as text", () => {
    expect(demuxLogs(Buffer.from("plain text\n"))).toBe("plain text\n");
    expect(demuxLogs("as a string")).toBe("as a string");
  });
  it("keeps a truncated last frame instead of throwing", () => {
    const full = frame(1, "complete\n");
    const cut = frame(2, "truncated line\n").subarray(0, 12);
    expect(demuxLogs(Buffer.concat([full, cut]))).toBe("complete\ntrun");
  });
  it("returns empty for an empty body", () => {
    expect(demuxLogs(Buffer.alloc(0))).toBe("");
  });
});

describe("lastLines", () => {
  it("keeps the last non-empty lines", () => {
    expect(lastLines("a\n\nb\r\nc\n", 2)).toEqual(["b", "c"]);
    expect(lastLines("", 5)).toEqual([]);
  });
});
