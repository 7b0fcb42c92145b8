import { type Env, registryConfig } from "@/lib/config";
import { defaultImage, isKnownRuntime, runtimeImage } from "@/lib/domain/runtimes";

/** The image fields of a workspace's provisioning config (seed `WorkspaceConfig.Image` / `.Runtime`). */
export interface ImageSelectionConfig {
  /** A resolved reference (usually digest-pinned); when non-empty it wins outright. */
  image?: string;
  runtime?: string;
}

/**
 * The image to run, in the seed's order: explicit image, then the runtime's `:latest` image,
 * then the default image. Never returns "": an unknown runtime still gets an image so Docker
 * reports an actionable "No such image" rather than an empty reference.
 */
export function selectImage(config: ImageSelectionConfig, env?: Env): string {
  if (config.image) return config.image;
  const prefix = registryConfig(env).imagePrefix;
  if (config.runtime && isKnownRuntime(config.runtime)) return runtimeImage(config.runtime, prefix);
  return defaultImage(prefix);
}
