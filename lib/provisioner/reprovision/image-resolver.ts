import "server-only";

import { type Env, imagesConfig, registryConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { errorMessage, ValidationError } from "@/lib/domain/errors";
import { parseImageRef, withDigest } from "@/lib/domain/image-ref";
import type { ImageSource } from "@/lib/domain/reprovision-preview";
import { isKnownRuntime, KNOWN_RUNTIMES, runtimeImage } from "@/lib/domain/runtimes";
import { getLogger } from "@/lib/log/logger";
import type { PullProgress } from "@/lib/provisioner/docker/pull-progress";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { imagePlatform } from "@/lib/provisioner/images/platform";
import { resolveRuntimeImage, type ResolveWarning } from "@/lib/provisioner/images/resolve-pin";
import { selectImage } from "@/lib/provisioner/images/select-image";
import { shouldPull } from "@/lib/provisioner/images/should-pull";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { RegistryUnreachableError } from "@/lib/provisioner/registry/errors";
import { splitRegistryReference } from "@/lib/provisioner/registry/http";

/** The image a template resolves to for this run. */
export interface ResolvedImage {
  template: string;
  /** What to pull and create from: `<repo>@sha256:…`, or the `:latest` tag when the registry was unreachable. */
  ref: string;
  /** The manifest digest in `ref`, or null when `ref` is a tag. */
  digest: string | null;
  source: ImageSource;
}

/** The part of the registry client the resolver needs. */
export interface DigestSource {
  resolveDigest(repository: string, tag: string): Promise<string>;
}

/** What a resolver needs; `registryFor` and `warn` exist for tests and callers that log elsewhere. */
export interface ImageResolverDeps {
  db: Db;
  docker: DockerClient;
  /** An environment of the caller's own (tests); the process-wide config otherwise. */
  env?: Env;
  /** The registry client for a reference; defaults to registryClientForReference. */
  registryFor?: (ref: string) => DigestSource;
  /** Where degradations (pin unusable, registry unreachable) are reported; defaults to a JSON log line. */
  warn?: (event: ImageResolverWarning) => void;
  /**
   * The digest this run reprovisions to instead of the pin: a rollout's ring moves to the new
   * digest before the pin does, and its rollback goes back to the old one (issue 18). Null: the pin.
   */
  targetDigest?: string | null;
}

/** A degradation the resolver worked around (it never blocks a provision for these). */
export type ImageResolverWarning =
  | ResolveWarning
  | { event: "registry_unreachable"; template: string; image: string; error: string }
  | { event: "pull_failed_using_cached"; image: string; error: string };

/** Resolves and pulls images for one run: each template and each ref is worked out at most once. */
export interface ImageResolver {
  resolve(template: string): Promise<ResolvedImage>;
  /** Makes sure `ref` is in the daemon's cache, pulling it if the seed's pull rule says so; `pulled` tells whether it did. */
  ensurePulled(ref: string, onProgress?: (progress: PullProgress) => void): Promise<{ ref: string; pulled: boolean }>;
  /**
   * The same run's resolver pulling into another engine (a workspace on another host): digests
   * stay shared, so every host lands on the same one, and pulls are kept per engine endpoint, so
   * an image is pulled once per host per digest.
   */
  onEngine(docker: DockerClient): ImageResolver;
}

/**
 * A resolver for one run (one reprovision, or a whole bulk operation). Results are memoized,
 * failures included: a bulk run over 200 workspaces of one template makes one pin lookup,
 * at most one registry digest lookup and one pull, and every workspace lands on the same digest
 * even if `:latest` moves mid-run. Start a new resolver to retry.
 */
export function createImageResolver(deps: ImageResolverDeps): ImageResolver {
  const { env } = deps;
  const warn = deps.warn ?? logWarning;
  const registryFor = deps.registryFor ?? ((ref: string) => registryClientForReference(ref, registryConfig(env)));
  const resolutions = new Map<string, Promise<ResolvedImage>>();
  const pulls = new Map<
    string,
    { result: Promise<{ ref: string; pulled: boolean }>; listeners: Set<(p: PullProgress) => void> }
  >();
  // Seed semantics: any non-empty value means "use my local build" (see resolve.ts).
  const localOverride = imagesConfig(env).localOverride;

  async function resolveOnce(template: string): Promise<ResolvedImage> {
    if (!isKnownRuntime(template)) {
      // The seed fell back to the default runtime's image; recreating a workspace on another
      // runtime's image is never what an operator asked for, so Fleetpin refuses instead.
      throw new ValidationError(
        `runtime "${template}" has no template image (known runtimes: ${KNOWN_RUNTIMES.join(", ")})`,
      );
    }
    if (deps.targetDigest) {
      const ref = withDigest(runtimeImage(template, registryConfig(env).imagePrefix), deps.targetDigest);
      return { template, ref, digest: deps.targetDigest, source: "pin" };
    }
    const pinned = await resolveRuntimeImage(template, {
      ...(env ? { env } : {}),
      warn,
      lookupPin: async (name) =>
        (await deps.db.runtimeImagePin.findUnique({ where: { templateName: name }, select: { digest: true } }))
          ?.digest ?? null,
    });
    if (pinned !== "") return { template, ref: pinned, digest: parseImageRef(pinned).digest ?? null, source: "pin" };

    const tagRef = selectImage({ runtime: template }, env);
    if (localOverride) return { template, ref: tagRef, digest: null, source: "tag" };
    const { repository } = splitRegistryReference(tagRef);
    const tag = parseImageRef(tagRef).tag ?? "latest";
    try {
      const digest = await registryFor(tagRef).resolveDigest(repository, tag);
      return { template, ref: withDigest(tagRef, digest), digest, source: "registry" };
    } catch (error) {
      if (!(error instanceof RegistryUnreachableError)) throw error;
      // Availability over pinning: the daemon may still reach the registry (or have the image).
      warn({ event: "registry_unreachable", template, image: tagRef, error: errorMessage(error) });
      return { template, ref: tagRef, digest: null, source: "tag" };
    }
  }

  async function pullOnce(
    docker: DockerClient,
    ref: string,
    listeners: Set<(p: PullProgress) => void>,
  ): Promise<{ ref: string; pulled: boolean }> {
    const present = await docker.imageExists(ref);
    // Deliberate deviation: the seed still pulled under WORKSPACE_IMAGE_LOCAL_OVERRIDE, which
    // replaced the very local build the override exists for.
    if (!shouldPull(ref, present) || (localOverride && present)) return { ref, pulled: false };
    try {
      await docker.pullImage(ref, {
        platform: imagePlatform(env),
        onProgress: (progress) => listeners.forEach((listener) => listener(progress)),
      });
    } catch (error) {
      // Seed policy (availability over pinning): a moving tag that cannot be refreshed is still
      // usable as cached. A missing image, or a digest, has no such fallback.
      if (!present) throw error;
      warn({ event: "pull_failed_using_cached", image: ref, error: errorMessage(error) });
      return { ref, pulled: false };
    }
    return { ref, pulled: true };
  }

  // One view per engine endpoint, so every item on a host shares one (and callers can compare them).
  const engines = new Map<string, ImageResolver>();
  const onEngine = (docker: DockerClient): ImageResolver => {
    let resolver = engines.get(docker.endpoint);
    if (!resolver) {
      resolver = engineResolver(docker);
      engines.set(docker.endpoint, resolver);
    }
    return resolver;
  };
  const engineResolver = (docker: DockerClient): ImageResolver => ({
    resolve(template) {
      let resolution = resolutions.get(template);
      if (!resolution) {
        resolution = resolveOnce(template);
        resolutions.set(template, resolution);
      }
      return resolution;
    },
    ensurePulled(ref, onProgress) {
      // Keyed by engine: each host needs the image in its own cache.
      const key = `${docker.endpoint}\n${ref}`;
      let entry = pulls.get(key);
      if (!entry) {
        const listeners = new Set<(p: PullProgress) => void>();
        entry = { listeners, result: pullOnce(docker, ref, listeners) };
        pulls.set(key, entry);
      }
      // Callers that join a pull already under way still see its progress from now on.
      if (onProgress) entry.listeners.add(onProgress);
      return entry.result;
    },
    onEngine,
  });
  // Not entered in `engines`: a caller asking onEngine() for a client of its own (another object for
  // the same endpoint) gets a view on that client. Pulls are deduplicated by endpoint either way.
  return engineResolver(deps.docker);
}

function logWarning(event: ImageResolverWarning): void {
  getLogger({ source: "imageResolver" }).warn(event, event.event);
}
