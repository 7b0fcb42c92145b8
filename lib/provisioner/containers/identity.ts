/**
 * Which workspace a managed container belongs to, read only from what its creator wrote (no I/O).
 *
 * Fleetpin's own containers carry `molecule.workspace.id` / `molecule.workspace.template` labels.
 * Containers the platform made (seed `Start()`, spec §3) carry only `molecule.platform.managed`:
 * the full ID is in the env `WORKSPACE_ID=<uuid>`, the name is `ws-<id12>` and the runtime is
 * in the image repository `<prefix>/workspace-template-<runtime>` (or the legacy
 * `workspace-template:<runtime>`). Anything ambiguous or unreadable is answered with a reason,
 * never guessed: adopting a container under the wrong workspace would let a later reprovision
 * replace a customer's container with another customer's image.
 */
import { tryParseImageRef } from "@/lib/domain/image-ref";
import { isUuid } from "@/lib/domain/is-uuid";
import { isKnownRuntime, type KnownRuntime } from "@/lib/domain/runtimes";

import { containerName, LABEL_TEMPLATE, LABEL_WORKSPACE_ID } from "./naming";

/** What the reader looks at: the parts of an inspected container its creator wrote. */
export interface IdentityInput {
  /** Without Docker's leading `/`. */
  name: string;
  /** Config.Image, as the container was created. */
  image: string;
  labels: Readonly<Record<string, string>>;
  env: readonly string[];
}

/** Where the workspace ID came from. */
export type IdentitySource = "label" | "env";

/**
 * `found`: the workspace ID (lower case) and the runtime when readable (null when not: enough
 * to update an existing row, not to adopt). `none`: nothing names a workspace at all (a row may
 * still point at the container by ID). `unreadable`: something names one, but not usably.
 */
export type ContainerIdentity =
  | {
      kind: "found";
      workspaceId: string;
      source: IdentitySource;
      runtime: string | null;
      runtimeProblem: string | null;
    }
  | { kind: "none"; reason: string }
  | { kind: "unreadable"; reason: string };

const ENV_KEY = "WORKSPACE_ID";
// The seed's name (`ws-` + 12 ID characters) and Fleetpin's set-aside name during a swap.
const SEED_NAME = /^ws-([0-9A-Fa-f-]{12})(?:-prev-\d+)?$/;

/** Every value of `KEY=` in a Docker env list, in order. */
export function envValues(env: readonly string[], key: string): string[] {
  const prefix = `${key}=`;
  return env.filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length));
}

/** Reads the container's workspace ID and runtime; see ContainerIdentity. */
export function readContainerIdentity(input: IdentityInput): ContainerIdentity {
  const label = input.labels[LABEL_WORKSPACE_ID];
  const envIds = [...new Set(envValues(input.env, ENV_KEY))];
  if (label !== undefined && !isUuid(label)) return unreadable(`label ${LABEL_WORKSPACE_ID}="${label}" is not a UUID`);
  if (envIds.length > 1)
    return unreadable(`env ${ENV_KEY} is set more than once, to ${envIds.map((v) => `"${v}"`).join(" and ")}`);
  const fromEnv = envIds[0];
  if (fromEnv !== undefined && !isUuid(fromEnv)) {
    return label === undefined
      ? unreadable(`env ${ENV_KEY}="${fromEnv}" is not a UUID`)
      : unreadable(
          `label ${LABEL_WORKSPACE_ID}="${label}" and env ${ENV_KEY}="${fromEnv}" disagree (the env value is not a UUID)`,
        );
  }
  if (label !== undefined && fromEnv !== undefined && label.toLowerCase() !== fromEnv.toLowerCase()) {
    return unreadable(`label ${LABEL_WORKSPACE_ID}="${label}" and env ${ENV_KEY}="${fromEnv}" disagree`);
  }
  const raw = label ?? fromEnv;
  if (raw === undefined) return { kind: "none", reason: `no ${LABEL_WORKSPACE_ID} label and no ${ENV_KEY} env var` };
  const workspaceId = raw.toLowerCase();

  const named = SEED_NAME.exec(input.name)?.[1];
  if (named !== undefined && `ws-${named.toLowerCase()}` !== containerName(workspaceId)) {
    return unreadable(
      `name ${input.name} does not match workspace ID ${workspaceId} (expected ${containerName(workspaceId)})`,
    );
  }

  const template = input.labels[LABEL_TEMPLATE];
  if (template !== undefined) {
    return isKnownRuntime(template)
      ? {
          kind: "found",
          workspaceId,
          source: label !== undefined ? "label" : "env",
          runtime: template,
          runtimeProblem: null,
        }
      : {
          kind: "found",
          workspaceId,
          source: label !== undefined ? "label" : "env",
          runtime: null,
          runtimeProblem: `label ${LABEL_TEMPLATE}="${template}" is not a known runtime`,
        };
  }
  const runtime = runtimeFromImage(input.image);
  return {
    kind: "found",
    workspaceId,
    source: label !== undefined ? "label" : "env",
    runtime,
    runtimeProblem: runtime === null ? runtimeProblem(input.image) : null,
  };
}

/**
 * The runtime named by a template image: last repository component `workspace-template-<runtime>`
 * (any registry prefix, tag and/or digest), or the legacy `workspace-template:<runtime>`. Null
 * for image IDs, other repositories and unknown runtimes.
 */
export function runtimeFromImage(image: string): KnownRuntime | null {
  const ref = tryParseImageRef(image);
  if (!ref) return null;
  const last = ref.repository.slice(ref.repository.lastIndexOf("/") + 1);
  const candidate =
    last === "workspace-template"
      ? (ref.tag ?? "")
      : last.startsWith("workspace-template-")
        ? last.slice("workspace-template-".length)
        : "";
  return isKnownRuntime(candidate) ? candidate : null;
}

function runtimeProblem(image: string): string {
  if (/^(sha256:)?[a-f0-9]{12,64}$/.test(image))
    return `runtime unreadable: image ${image} is given by ID, not by a template repository`;
  return `runtime unreadable: image ${image} is not <prefix>/workspace-template-<runtime> or workspace-template:<runtime> of a known runtime`;
}

function unreadable(reason: string): ContainerIdentity {
  return { kind: "unreadable", reason };
}
