import { imageTagIsMoving } from "@/lib/domain/moving-tags";

/**
 * Seed pull rule in `Provisioner.Start()`: pull when the image is missing locally or its tag is
 * moving. A present digest or pinned tag is immutable, so pulling it again would only cost time.
 */
export function shouldPull(ref: string, imagePresentLocally: boolean): boolean {
  return !imagePresentLocally || imageTagIsMoving(ref);
}
