/**
 * Docker's log endpoint multiplexes stdout and stderr into one body for containers without a
 * TTY: frames of an 8-byte header (stream type, 3 zero bytes, big-endian length) and the
 * payload. dockerode only demuxes streams, and a failed health gate reads a finished buffer,
 * so this reads the frames itself. A body that is not framed (TTY containers) is plain text.
 */
export function demuxLogs(body: Buffer | string): string {
  const buffer = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (!looksFramed(buffer)) return buffer.toString("utf8");
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + length)));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString("utf8");
}

function looksFramed(buffer: Buffer): boolean {
  return buffer.length >= 8 && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
}

/** The last `count` non-empty lines of `text`, for error messages. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .slice(-count);
}
