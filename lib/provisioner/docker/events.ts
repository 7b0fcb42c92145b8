import "server-only";

import type Docker from "dockerode";

import { DockerUnavailableError, errorMessage } from "@/lib/domain/errors";

import { translateDockerError } from "./error-translation";
import type { DockerEvent, DockerEventFilters } from "./event-types";

const ACTION = "follow Docker events";

/**
 * `DockerClient.streamEvents` over dockerode: `GET /events` (no `since`: only what happens from
 * now on; callers reconcile after connecting to cover the gap), one JSON object per line.
 * Resolves when the daemon ends the stream or `signal` aborts; rejects, translated, when the
 * daemon cannot be reached or the connection breaks.
 */
export async function streamDockerEvents(
  docker: Docker,
  endpoint: string,
  filters: DockerEventFilters,
  onEvent: (event: DockerEvent) => void,
  signal: AbortSignal,
  onConnected?: () => void,
): Promise<void> {
  if (signal.aborted) return;
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    stream = (await docker.getEvents({
      filters: filters as Record<string, string[]>,
      abortSignal: signal,
    })) as typeof stream;
  } catch (error) {
    if (signal.aborted) return;
    throw translateDockerError(error, ACTION, endpoint);
  }
  if (signal.aborted) {
    stream.destroy?.();
    return;
  }
  onConnected?.();

  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", abort);
      if (error !== undefined && !signal.aborted) reject(broken(error, endpoint));
      else resolve();
    };
    const abort = () => {
      stream.destroy?.();
      finish();
    };
    signal.addEventListener("abort", abort, { once: true });
    stream.on("data", (chunk: Buffer | string) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf("\n"); newline >= 0; newline = buffer.indexOf("\n")) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        const event = line === "" ? null : parseEvent(line);
        if (event) onEvent(event);
      }
    });
    stream.on("error", (error: unknown) => finish(error ?? new Error("stream error")));
    stream.on("end", () => finish());
    stream.on("close", () => finish());
  });
}

function broken(error: unknown, endpoint: string) {
  const translated = translateDockerError(error, ACTION, endpoint);
  // A stream cut mid-way (daemon stopped) is an unreachable daemon, not a refused request.
  return translated instanceof DockerUnavailableError
    ? translated
    : new DockerUnavailableError(`Docker events stream from ${endpoint} broke: ${errorMessage(error)}`, {
        cause: error,
      });
}

/** One line of the stream, or null for anything that is not an event (a bad line never stops the stream). */
export function parseEvent(line: string): DockerEvent | null {
  let raw: { Type?: unknown; Action?: unknown; Actor?: { ID?: unknown; Attributes?: unknown }; timeNano?: unknown };
  try {
    raw = JSON.parse(line) as typeof raw;
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null || typeof raw.Type !== "string" || typeof raw.Action !== "string")
    return null;
  const attributes =
    raw.Actor?.Attributes && typeof raw.Actor.Attributes === "object"
      ? (raw.Actor.Attributes as Record<string, string>)
      : {};
  return {
    type: raw.Type,
    action: raw.Action,
    id: typeof raw.Actor?.ID === "string" ? raw.Actor.ID : "",
    attributes,
    timeNano: typeof raw.timeNano === "number" ? raw.timeNano : 0,
  };
}
