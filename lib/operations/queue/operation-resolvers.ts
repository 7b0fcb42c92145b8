import "server-only";

import { createImageResolver, type ImageResolver } from "@/lib/provisioner/reprovision/image-resolver";

type ResolverDeps = Parameters<typeof createImageResolver>[0];

// One image resolver per operation in this process, as the in-process runner had one per run:
// one digest per template and one pull per image for all the items this process runs. Bounded,
// so a process that never sees an operation's end (another worker finished it) does not grow.
const MAX_OPERATIONS = 32;
const resolvers = new Map<string, ImageResolver>();

export function resolverFor(operationId: string, deps: ResolverDeps): ImageResolver {
  let resolver = resolvers.get(operationId);
  if (!resolver) {
    resolver = createImageResolver(deps);
    resolvers.set(operationId, resolver);
    if (resolvers.size > MAX_OPERATIONS) resolvers.delete(resolvers.keys().next().value!);
  }
  return resolver;
}

export function forgetResolver(operationId: string): void {
  resolvers.delete(operationId);
}
