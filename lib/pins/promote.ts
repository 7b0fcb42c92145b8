import "server-only";

import { type Env, registryConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { recordSighting } from "@/lib/db/ledger/record-digest";
import { promotePin, type PinChange } from "@/lib/db/pins";
import { NotFoundError, ValidationError } from "@/lib/domain/errors";
import { isValidDigest, TAG_PATTERN } from "@/lib/domain/image-ref";
import { normalizeReason } from "@/lib/domain/reason";
import { isKnownRuntime, runtimeImageRepository } from "@/lib/domain/runtimes";
import type { RegistryClient } from "@/lib/provisioner/registry/client";
import { registryClientForReference } from "@/lib/provisioner/registry/client-for-reference";
import { UnknownManifestError, UnknownRepositoryError } from "@/lib/provisioner/registry/errors";
import { splitRegistryReference } from "@/lib/provisioner/registry/http";

import { enforcePromoteGate } from "./promote-gate";

/**
 * The Promote form: a digest or a tag to resolve, the pin the operator saw, and why; a non-empty
 * `coolDownOverrideReason` promotes a digest younger than the cool-down (audited).
 */
export type PromoteFromInput = {
  templateName: string;
  digestOrTag: string;
  /** The pin the caller saw (null = unpinned); undefined = replace whatever is pinned (the API without expected_digest). */
  expectedDigest: string | null | undefined;
  reason: string;
  coolDownOverrideReason?: string | null | undefined;
  /** The git commit the image was built from (the API's git_sha), stored with the pin and its history. */
  gitSha?: string | null;
};

/** Where promoteFromInput and listTemplateTags reach the registry; defaults to the shared client for the template's repository. */
/** `env`: an environment of the caller's own (tests); the process-wide config otherwise. */
export type PromoteDeps = { registry?: RegistryClient; env?: Env };

/**
 * Promotes what the operator typed: a `sha256:` digest that must exist in the
 * template's repository, or a tag resolved there to its digest. The registry is
 * asked before anything is written; unreachable or denying registries surface
 * as their typed errors (lib/provisioner/registry/errors.ts) and nothing changes.
 */
export async function promoteFromInput(
  db: Db,
  input: PromoteFromInput,
  actor: string,
  deps: PromoteDeps = {},
): Promise<PinChange> {
  // Everything that needs no network is checked first, so a typo never waits on the registry.
  const reason = normalizeReason(input.reason) as string;
  if (input.expectedDigest != null && !isValidDigest(input.expectedDigest)) {
    throw new ValidationError("The form's current pin is not a digest; reload the page.", {
      expectedDigest: ["not a digest"],
    });
  }
  const digest = await resolveDigestOrTag(input.templateName, input.digestOrTag, deps);
  // The ledger learns the digest before the gate reads its age: a digest met first here is 0 s old.
  await recordSighting(db, { templateName: input.templateName, digest, via: "promote" });
  const env = deps.env;
  const coolDownOverrideReason = input.coolDownOverrideReason?.trim() || null;
  return promotePin(
    db,
    {
      templateName: input.templateName,
      digest,
      expectedDigest: input.expectedDigest,
      reason,
      gitSha: input.gitSha ?? null,
    },
    actor,
    {
      beforeWrite: (tx) =>
        enforcePromoteGate(tx, { templateName: input.templateName, digest, coolDownOverrideReason }, actor, env),
    },
  );
}

/**
 * What the operator typed, as a digest that exists in the template's repository: a digest is
 * checked (one HEAD), a tag resolved (one HEAD). ValidationError on the digestOrTag field otherwise.
 */
export async function resolveDigestOrTag(
  templateName: string,
  digestOrTag: string,
  deps: PromoteDeps = {},
): Promise<string> {
  const wanted = parseDigestOrTag(digestOrTag);
  const { client, repository, where } = registryFor(templateName, deps);
  if (wanted.kind === "digest") {
    if (!(await client.manifestExists(repository, wanted.digest))) {
      throw field(`${wanted.digest} does not exist in ${where}; push it first or check the digest.`);
    }
    return wanted.digest;
  }
  try {
    return await client.resolveDigest(repository, wanted.tag);
  } catch (error) {
    if (error instanceof UnknownManifestError || error instanceof UnknownRepositoryError) {
      throw field(`Tag "${wanted.tag}" does not exist in ${where}.`);
    }
    throw error;
  }
}

/** The tags of a template's repository, sorted, for the "pick a tag" control. */
export async function listTemplateTags(templateName: string, deps: PromoteDeps = {}): Promise<string[]> {
  const { client, repository } = registryFor(templateName, deps);
  const tags = await client.listTags(repository);
  return tags.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

function parseDigestOrTag(value: string): { kind: "digest"; digest: string } | { kind: "tag"; tag: string } {
  const text = (value ?? "").trim();
  if (text === "") throw field("Enter a digest (sha256:…) or a tag to promote.");
  if (text.startsWith("sha256:")) {
    if (!isValidDigest(text))
      throw field(
        `"${text.slice(0, 80)}" is not a digest: expected "sha256:" followed by 64 lowercase hex characters.`,
      );
    return { kind: "digest", digest: text };
  }
  if (!TAG_PATTERN.test(text)) {
    throw field(
      `"${text.slice(0, 80)}" is neither a digest nor a tag: a tag is letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").`,
    );
  }
  return { kind: "tag", tag: text };
}

function registryFor(
  templateName: string,
  deps: PromoteDeps,
): { client: RegistryClient; repository: string; where: string } {
  const registry = registryConfig(deps.env);
  if (!isKnownRuntime(templateName)) {
    throw new NotFoundError(
      `Unknown template "${templateName}": Fleetpin knows no image repository for it, so nothing can be checked against a registry.`,
    );
  }
  const reference = runtimeImageRepository(templateName, registry.imagePrefix);
  const client = deps.registry ?? registryClientForReference(reference, registry);
  const { repository } = splitRegistryReference(reference);
  return { client, repository, where: `${client.registry}/${repository}` };
}

function field(message: string): ValidationError {
  return new ValidationError(message, { digestOrTag: [message] });
}
