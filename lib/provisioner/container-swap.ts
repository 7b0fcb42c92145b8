import "server-only";

import { ConflictError, DockerOperationError, errorMessage } from "@/lib/errors";
import type { ContainerSpec, DockerClient, DockerContainer } from "./docker-types";
import { containerName, LABEL_WORKSPACE_ID } from "./naming";

/** Steps of a swap, reported as they start. */
export type SwapPhase = "stopping" | "starting" | "verifying" | "rolling_back";

/** What replaceContainer needs; `now` names the renamed-aside container in tests. */
export interface ReplaceContainerInput {
  docker: DockerClient;
  spec: ContainerSpec;
  /** The container to replace, or null for a first provision. */
  old: DockerContainer | null;
  stopTimeoutSeconds: number;
  onPhase?: (phase: SwapPhase) => void;
  now?: () => number;
}

/** Either the new container (running), or why not and whether the old one is back as it was. */
export type ReplaceContainerResult =
  | { ok: true; container: DockerContainer; asideName: string | null }
  | { ok: false; error: unknown; restored: boolean; rollbackErrors: string[] };

/**
 * Replaces `old` by a container built from `spec`, keeping the old one recoverable until the new
 * one runs: stop old → rename it `<name>-prev-<ms>` → create + start new → check it is running.
 * On any failure the new container is removed and the old one gets its name back and, if it was
 * running, is started again. The old container is NOT removed on success: the caller does that
 * once the result is recorded (see reprovision.ts).
 */
export async function replaceContainer(input: ReplaceContainerInput): Promise<ReplaceContainerResult> {
  const { docker, spec, old } = input;
  const now = input.now ?? Date.now;
  const wasRunning = old?.running ?? false;
  let asideName: string | null = null;
  let newId: string | null = null;
  try {
    if (old) {
      input.onPhase?.("stopping");
      await docker.stopContainer(old.id, { timeoutSeconds: input.stopTimeoutSeconds });
      // A container left under another name by an interrupted run does not block the name.
      if (old.name === spec.name) {
        asideName = `${spec.name}-prev-${now()}`;
        await docker.renameContainer(old.id, asideName);
      }
    }
    input.onPhase?.("starting");
    newId = (await docker.createContainer(spec)).id;
    await docker.startContainer(newId);
    input.onPhase?.("verifying");
    const container = await docker.inspectContainer(newId);
    if (!container) throw new DockerOperationError(`container ${spec.name} disappeared right after it was started`);
    if (!container.running) {
      const why = container.error ? `: ${container.error}` : "";
      throw new DockerOperationError(`container ${spec.name} is ${container.status} right after start (exit code ${container.exitCode})${why}`);
    }
    return { ok: true, container, asideName };
  } catch (error) {
    input.onPhase?.("rolling_back");
    const rollbackErrors = await rollBack(docker, { newId, old, asideName, name: spec.name, wasRunning });
    return { ok: false, error, restored: rollbackErrors.length === 0, rollbackErrors };
  }
}

/**
 * The container a run replaces: the one the row points at (after an interrupted run that is the
 * renamed `-prev-` one), else the one named `ws-<id12>`. A different container holding the name
 * next to the recorded one is the leftover of an interrupted run and is removed.
 */
export async function findContainerToReplace(
  docker: DockerClient,
  workspaceId: string,
  recordedContainerId: string | null,
): Promise<DockerContainer | null> {
  const name = containerName(workspaceId);
  const byId = recordedContainerId ? await docker.inspectContainer(recordedContainerId) : null;
  // The usual case (the recorded container holds the name) needs no second lookup.
  if (byId && byId.name === name) return byId;
  const byName = await docker.inspectContainer(name);
  const owner = byName?.labels[LABEL_WORKSPACE_ID];
  if (byName && owner !== undefined && owner !== workspaceId) {
    throw new ConflictError(`container name ${name} is taken by a container of workspace ${owner}`);
  }
  if (byId && byName && byId.id !== byName.id) {
    if (owner !== workspaceId) throw new ConflictError(`container name ${name} is taken by an unrelated container ${byName.id.slice(0, 12)}`);
    console.warn(JSON.stringify({ level: "warn", source: "reprovision", event: "leftover_removed", workspaceId, containerId: byName.id }));
    await docker.removeContainer(byName.id, { force: true });
  }
  return byId ?? byName;
}

// Each step is attempted even if an earlier one failed: half a rollback beats none.
async function rollBack(
  docker: DockerClient,
  state: { newId: string | null; old: DockerContainer | null; asideName: string | null; name: string; wasRunning: boolean },
): Promise<string[]> {
  const errors: string[] = [];
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      errors.push(`${what}: ${errorMessage(error)}`);
      console.error(JSON.stringify({ level: "error", source: "containerSwap", event: "rollback_step_failed", step: what, error: errorMessage(error) }));
    }
  };
  if (state.newId) await attempt(`remove new container ${state.newId.slice(0, 12)}`, () => docker.removeContainer(state.newId!, { force: true }));
  const old = state.old;
  if (old) {
    if (state.asideName) await attempt(`rename ${state.asideName} back to ${state.name}`, () => docker.renameContainer(old.id, state.name));
    if (state.wasRunning) await attempt(`restart old container ${old.id.slice(0, 12)}`, () => docker.startContainer(old.id));
  }
  return errors;
}
