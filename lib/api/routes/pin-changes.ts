import "server-only";

import { z } from "zod";

import { defineApiRoute } from "@/lib/api/define-api-route";
import { withFieldNames } from "@/lib/api/problem";
import { rollbackPin, unpinTemplate, type PinChange } from "@/lib/db/pins";
import { DIGEST_PATTERN, TAG_PATTERN } from "@/lib/domain/image-ref";
import { promoteFromInput } from "@/lib/pins/promote";
import { digestSchema, reasonSchema, templateNameSchema } from "@/lib/schemas/fields";

import { pinChangeShape } from "./shapes";

/** The template named in the path. */
export const templateParams = z.object({ template: templateNameSchema });

/** A git commit sha (abbreviated or full, SHA-1 or SHA-256), stored lower-case. */
export const gitShaSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{7,64}$/, { error: "A git sha is 7 to 64 hexadecimal characters." });

const tagSchema = z
  .string()
  .trim()
  .regex(TAG_PATTERN, { error: "A tag is letters, digits, _ . - (at most 128, not starting with . or -)." });

export const promoteBody = z
  .object({
    digest: digestSchema.optional().describe("the digest to pin; it must exist in the template's repository"),
    tag: tagSchema.optional().describe("a tag resolved through the registry to the digest to pin"),
    expected_digest: z
      .string()
      .regex(DIGEST_PATTERN, { error: "expected_digest is sha256: followed by 64 lowercase hex characters, or null." })
      .nullable()
      .optional()
      .describe(
        "the pin you expect to replace (null: unpinned); 409 when it moved. Leave out to replace whatever is pinned",
      ),
    reason: reasonSchema,
    git_sha: gitShaSchema.optional().describe("the commit the image was built from, stored with the pin"),
    cool_down_override_reason: reasonSchema
      .optional()
      .describe("promote a digest younger than the cool-down (FLEETPIN_MIN_DIGEST_AGE); the reason is audited"),
  })
  .refine((body) => (body.digest === undefined) !== (body.tag === undefined), {
    error: "Send exactly one of digest and tag.",
    path: ["digest"],
  });

/** Rollback and unpin name the digest they expect to replace. */
export const pinChangeBody = z.object({ expected_digest: digestSchema, reason: reasonSchema });

/** A rollback's or unpin's input: the template from the path, the expected digest and the reason from the body. */
function pinChangeInput(params: z.infer<typeof templateParams>, body: z.infer<typeof pinChangeBody>) {
  return { templateName: params.template, expectedDigest: body.expected_digest, reason: body.reason };
}

/** The platform's promote request (seed spec §4), so its scripts only change their base URL. */
export const platformPromoteBody = z.object({
  template_name: templateNameSchema,
  image_digest: digestSchema,
  git_sha: gitShaSchema.optional(),
  notes: z.string().trim().max(500).optional().describe("the reason; a default names the API when blank"),
});

const PLATFORM_DEFAULT_REASON = "promoted through POST /api/v1/runtime-image/promote";

/** A pin change as the API answers it; a promote with rings enabled names the rollout it started. */
export function toApiPinChange(change: PinChange & { rolloutId?: string }): z.infer<typeof pinChangeShape> {
  return {
    template_name: change.templateName,
    action: change.action,
    from_digest: change.fromDigest,
    to_digest: change.toDigest,
    git_sha: change.gitSha ?? null,
    ...(change.rolloutId ? { rollout_id: change.rolloutId } : {}),
  };
}

const changed = { status: 200, description: "What changed", schema: pinChangeShape } as const;

/** POST /pins/{template}/promote: the Promote form's call (promoteFromInput), by digest or tag. */
export const promoteRoute = defineApiRoute({
  method: "POST",
  path: "/pins/{template}/promote",
  role: "operator",
  tag: "pins",
  summary: "Promote a digest or a tag to be the template's pin",
  description:
    "The digest (or the tag's digest) must exist in the template's repository. 409 when expected_digest is given and the pin has moved, when the digest is quarantined, or when it is younger than the cool-down without cool_down_override_reason.",
  params: templateParams,
  body: promoteBody,
  success: changed,
  run: async ({ db, deps, caller, params, body }) => {
    const input = {
      templateName: params.template,
      digestOrTag: (body.digest ?? body.tag)!,
      expectedDigest: body.expected_digest,
      reason: body.reason,
      gitSha: body.git_sha ?? null,
      coolDownOverrideReason: body.cool_down_override_reason ?? null,
    };
    try {
      return toApiPinChange(await promoteFromInput(db, input, caller.actor, { env: deps.env }));
    } catch (error) {
      throw withFieldNames(error, { digestOrTag: body.tag !== undefined ? "tag" : "digest" });
    }
  },
});

/** POST /runtime-image/promote: the platform's request shape, same effect as promote by digest. */
export const platformPromoteRoute = defineApiRoute({
  method: "POST",
  path: "/runtime-image/promote",
  role: "operator",
  tag: "pins",
  summary: "Promote, in the platform's request shape",
  description: "Same checks and effect as POST /pins/{template}/promote with a digest and no expected_digest.",
  body: platformPromoteBody,
  success: changed,
  run: async ({ db, deps, caller, body }) => {
    const input = {
      templateName: body.template_name,
      digestOrTag: body.image_digest,
      expectedDigest: undefined,
      reason: body.notes || PLATFORM_DEFAULT_REASON,
      gitSha: body.git_sha ?? null,
    };
    try {
      return toApiPinChange(await promoteFromInput(db, input, caller.actor, { env: deps.env }));
    } catch (error) {
      throw withFieldNames(error, { digestOrTag: "image_digest", templateName: "template_name", reason: "notes" });
    }
  },
});

/** POST /pins/{template}/rollback: put back the digest the current pin replaced. */
export const rollbackRoute = defineApiRoute({
  method: "POST",
  path: "/pins/{template}/rollback",
  role: "operator",
  tag: "pins",
  summary: "Roll the pin back to the digest it replaced",
  params: templateParams,
  body: pinChangeBody,
  success: changed,
  run: async ({ db, caller, params, body }) =>
    toApiPinChange(await rollbackPin(db, pinChangeInput(params, body), caller.actor)),
});

/** DELETE /pins/{template}: unpin (the template follows :latest again). */
export const unpinRoute = defineApiRoute({
  method: "DELETE",
  path: "/pins/{template}",
  role: "operator",
  tag: "pins",
  summary: "Unpin the template",
  params: templateParams,
  body: pinChangeBody,
  success: changed,
  run: async ({ db, caller, params, body }) =>
    toApiPinChange(await unpinTemplate(db, pinChangeInput(params, body), caller.actor)),
});
