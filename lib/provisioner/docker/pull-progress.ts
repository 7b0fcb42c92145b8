/**
 * Reads the NDJSON event stream of `POST /images/create` (a pull). Pure: no I/O.
 *
 * Two facts drive this module (stack notes §3, G9): the daemon reports progress per layer, so a
 * single percentage has to be aggregated here; and an error in the middle of a pull arrives as
 * an ordinary event (`{"error": …, "errorDetail": {…}}`) on an HTTP 200 stream, which
 * dockerode's `followProgress` does NOT turn into an error. Whoever drains a pull must ask
 * `failure()` at the end, or a half-pulled image looks like a success.
 */

/** One event of a pull stream, as the daemon writes it. */
export interface PullEvent {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/** What a pull looks like so far, for progress bars and operation logs. */
export interface PullProgress {
  ref: string;
  /** The daemon's latest status line, e.g. "Downloading" or "Status: Downloaded newer image for …". */
  status: string;
  /** 0–100 over all layers seen so far; null until the first layer shows up. */
  percent: number | null;
  layersDone: number;
  layersTotal: number;
}

// Downloading counts for most of a layer's work; extracting is quicker but not free.
const DOWNLOAD_SHARE = 0.8;

/** Aggregates one pull's events into a percentage, the pulled digest and any mid-stream error. */
export class PullProgressTracker {
  private readonly layers = new Map<string, number>();
  private lastStatus = "";
  private finished = false;
  private errorMessage: string | null = null;
  private manifestDigest: string | null = null;

  constructor(readonly ref: string) {}

  /** Feeds one event and returns the progress after it. */
  push(event: PullEvent): PullProgress {
    if (event.error !== undefined || event.errorDetail !== undefined) {
      // Keep the first error: later events (if any) describe the aftermath, not the cause.
      this.errorMessage ??= event.errorDetail?.message || event.error || "unknown pull error";
    }
    const status = event.status ?? "";
    if (status !== "") this.lastStatus = status;

    const digest = /^Digest: (\S+)/.exec(status)?.[1];
    if (digest) this.manifestDigest = digest;
    if (status.startsWith("Status: ")) this.finished = true;

    if (event.id && status !== "") {
      const fraction = layerFraction(status, event.progressDetail);
      if (fraction !== undefined) {
        // A retried download restarts at 0; never let the bar go backwards.
        this.layers.set(event.id, Math.max(this.layers.get(event.id) ?? 0, fraction));
      }
    }
    return this.snapshot();
  }

  /** The progress so far. */
  snapshot(): PullProgress {
    const values = [...this.layers.values()];
    let percent: number | null = null;
    if (this.finished && this.errorMessage === null) percent = 100;
    else if (values.length > 0) percent = Math.floor((100 * values.reduce((a, b) => a + b, 0)) / values.length);
    return {
      ref: this.ref,
      status: this.errorMessage ?? this.lastStatus,
      percent,
      layersDone: values.filter((value) => value >= 1).length,
      layersTotal: values.length,
    };
  }

  /** The daemon's error message if the stream carried one, else null. */
  failure(): string | null {
    return this.errorMessage;
  }

  /** The manifest digest the daemon reported ("Digest: sha256:…"), if any. */
  digest(): string | null {
    return this.manifestDigest;
  }

  /** True once the daemon wrote its closing "Status: …" line; a stream cut off before it is not a finished pull. */
  completed(): boolean {
    return this.finished;
  }

  /** True when the daemon reported "Image is up to date" (nothing was downloaded). */
  upToDate(): boolean {
    return this.lastStatus.startsWith("Status: Image is up to date");
  }
}

/** Splits a raw NDJSON pull body into events; blank lines are skipped, a malformed line throws. */
export function parsePullStream(body: string): PullEvent[] {
  return body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as PullEvent);
}

function layerFraction(status: string, detail: PullEvent["progressDetail"]): number | undefined {
  const ratio = detail?.total ? Math.min(1, Math.max(0, (detail.current ?? 0) / detail.total)) : 0;
  switch (status) {
    case "Pulling fs layer":
    case "Waiting":
      return 0;
    case "Downloading":
      return DOWNLOAD_SHARE * ratio;
    case "Verifying Checksum":
    case "Download complete":
      return DOWNLOAD_SHARE;
    case "Extracting":
      return DOWNLOAD_SHARE + (1 - DOWNLOAD_SHARE) * ratio;
    case "Pull complete":
    case "Already exists":
      return 1;
    default:
      // "Pulling from …", "Digest: …", "Retrying in 5 seconds" and the like are not layer states.
      return undefined;
  }
}
