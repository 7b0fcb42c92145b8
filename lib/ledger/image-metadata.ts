// What a digest's manifest and config blob say about it, read without I/O: media type,
// platforms, config digest, compressed size, the config's `created` and the OCI labels.
// The watcher fetches the bytes once per digest (digests are immutable) and stores this.

export const OCI_LABELS = {
  revision: "org.opencontainers.image.revision",
  source: "org.opencontainers.image.source",
  version: "org.opencontainers.image.version",
  created: "org.opencontainers.image.created",
} as const;

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);

/** One child of an index: its digest, size and platform (`linux/arm64/v8`), attestations marked. */
export type IndexChild = { digest: string; size: number; platform: string | null; attestation: boolean };

/** A parsed manifest: an index lists children; an image manifest names its config and layers. */
export type ParsedManifest =
  | { kind: "index"; mediaType: string; children: IndexChild[] }
  | { kind: "image"; mediaType: string; configDigest: string; compressedSize: number };

/** The facts the ledger keeps from a config blob. */
export type ConfigFacts = {
  created: Date | null;
  platform: string | null;
  labels: { revision: string | null; source: string | null; version: string | null; created: string | null };
};

/** Reads a manifest; `contentType` (the response header) wins over a missing `mediaType` field. Throws on a shape it does not know. */
export function parseManifest(json: unknown, contentType: string | null): ParsedManifest {
  const body = asRecord(json, "manifest");
  const mediaType = str(body.mediaType) ?? (contentType ?? "").split(";")[0]!.trim();
  if (INDEX_TYPES.has(mediaType) || (mediaType === "" && Array.isArray(body.manifests))) {
    const list = Array.isArray(body.manifests) ? body.manifests : [];
    const children = list.map((entry) => {
      const child = asRecord(entry, "index entry");
      const platform = child.platform ? platformText(asRecord(child.platform, "platform")) : null;
      const annotations =
        child.annotations && typeof child.annotations === "object"
          ? (child.annotations as Record<string, unknown>)
          : {};
      // BuildKit's provenance/SBOM entries are "unknown/unknown" with this annotation: not a runnable platform.
      const attestation =
        annotations["vnd.docker.reference.type"] === "attestation-manifest" || platform === "unknown/unknown";
      return { digest: String(child.digest ?? ""), size: num(child.size), platform, attestation };
    });
    return { kind: "index", mediaType: mediaType || "application/vnd.oci.image.index.v1+json", children };
  }
  const config = asRecord(body.config, "manifest config");
  const layers = Array.isArray(body.layers) ? body.layers : [];
  const configDigest = str(config.digest);
  if (!configDigest) throw new Error("the manifest names no config blob");
  const compressedSize = layers.reduce(
    (sum: number, layer) => sum + num(asRecord(layer, "layer").size),
    num(config.size),
  );
  return {
    kind: "image",
    mediaType: mediaType || "application/vnd.oci.image.manifest.v1+json",
    configDigest,
    compressedSize,
  };
}

/** Reads an image config blob: `created`, its platform and the four OCI labels. */
export function parseConfig(json: unknown): ConfigFacts {
  const body = asRecord(json, "config");
  const config = body.config && typeof body.config === "object" ? (body.config as Record<string, unknown>) : {};
  const labels = config.Labels && typeof config.Labels === "object" ? (config.Labels as Record<string, unknown>) : {};
  const created = str(body.created);
  const date = created ? new Date(created) : null;
  const label = (key: string) => clip(str(labels[key]));
  return {
    created: date && !Number.isNaN(date.getTime()) ? date : null,
    platform: platformText(body),
    labels: {
      revision: label(OCI_LABELS.revision),
      source: label(OCI_LABELS.source),
      version: label(OCI_LABELS.version),
      created: label(OCI_LABELS.created),
    },
  };
}

/**
 * The child whose config describes an index best: the one for `wanted` (`linux/amd64`) when
 * present, else the first runnable one; null when the index has none.
 */
export function pickIndexChild(children: readonly IndexChild[], wanted: string | null): IndexChild | null {
  const runnable = children.filter((child) => !child.attestation);
  return runnable.find((child) => wanted !== null && child.platform === wanted) ?? runnable[0] ?? null;
}

/** The runnable platforms of an index, in its order, without duplicates. */
export function indexPlatforms(children: readonly IndexChild[]): string[] {
  return [...new Set(children.filter((child) => !child.attestation && child.platform).map((child) => child.platform!))];
}

function platformText(value: Record<string, unknown>): string | null {
  const os = str(value.os);
  const architecture = str(value.architecture);
  if (!os || !architecture) return null;
  const variant = str(value.variant);
  return [os, architecture, variant].filter(Boolean).join("/");
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

// Labels are free text from whoever built the image; the ledger shows them, bounded, on one line.
function clip(value: string | null): string | null {
  if (value === null) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}
