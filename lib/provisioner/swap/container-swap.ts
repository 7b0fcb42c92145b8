import "server-only";

import type { SwapStep } from "@/lib/db/swap-journal";
import { ConflictError, errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import type { ContainerCreateRequest } from "@/lib/provisioner/containers/inspect-types";
import { containerName, LABEL_WORKSPACE_ID } from "@/lib/provisioner/containers/naming";
import type { DockerClient, DockerContainer } from "@/lib/provisioner/docker/types";

import { passHealthGate, type HealthGateClock, type HealthGateSettings } from "./health-gate";

/** Steps of a swap, reported as they start. */
export type SwapPhase = "stopping" | "starting" | "verifying" | "rolling_back";

/** What the journal is told before each step (see lib/db/swap-journal.ts). */
export interface SwapProgress {
  step: SwapStep;
  asideName: string | null;
  newContainerId: string | null;
}

/** What replaceContainer needs; `now` names the renamed-aside container in tests. */
export interface ReplaceContainerInput {
  docker: DockerClient;
  request: ContainerCreateRequest;
  /** The container to replace, or null for a first provision. */
  old: DockerContainer | null;
  stopTimeoutSeconds: number;
  gate: HealthGateSettings;
  gateClock?: HealthGateClock;
  onPhase?: (phase: SwapPhase) => void;
  /** Awaited BEFORE each step; a rejection aborts the swap (and rolls back) before the step runs. */
  journal?: (progress: SwapProgress) => Promise<void>;
  now?: () => number;
}

/** Either the new container (running, gate passed), or why not and whether the old one is back as it was. */
export type ReplaceContainerResult =
  | { ok: true; container: DockerContainer; asideName: string | null }
  | {
      ok: false;
      error: unknown;
      restored: boolean;
      rollbackErrors: string[];
      newContainerId: string | null;
      asideName: string | null;
    };

/**
 * Replaces `old` by a container created from `request`, keeping the old one recoverable until
 * the new one has passed the health gate: stop old → rename it `<name>-prev-<ms>` → create +
 * start new → gate. On any failure the new container is removed and the old one gets its name
 * back and, if it was running, is started again. The old container is NOT removed on success:
 * the caller does that once the result is recorded (see reprovision.ts).
 */
export async function replaceContainer(input: ReplaceContainerInput): Promise<ReplaceContainerResult> {
  const { docker, request, old } = input;
  const now = input.now ?? Date.now;
  const wasRunning = old?.running ?? false;
  let asideName: string | null = null;
  let newId: string | null = null;
  const step = async (name: SwapStep) => input.journal?.({ step: name, asideName, newContainerId: newId });
  try {
    if (old) {
      input.onPhase?.("stopping");
      await step("stopping");
      await docker.stopContainer(old.id, { timeoutSeconds: input.stopTimeoutSeconds });
      // A container left under another name by an interrupted run does not block the name.
      if (old.name === request.name) {
        const aside = `${request.name}-prev-${now()}`;
        asideName = aside;
        await step("renaming");
        await docker.renameContainer(old.id, aside);
      }
    }
    input.onPhase?.("starting");
    await step("creating");
    newId = (await docker.createContainer(request)).id;
    await step("starting");
    await docker.startContainer(newId);
    input.onPhase?.("verifying");
    await step("gating");
    const container = await passHealthGate(docker, newId, input.gate, input.gateClock);
    return { ok: true, container, asideName };
  } catch (error) {
    input.onPhase?.("rolling_back");
    try {
      await step("rolling_back");
    } catch (journalError) {
      // The rollback matters more than its journal entry; the journal still shows the last step.
      getLogger({ source: "containerSwap" }).error(
        { event: "journal_write_failed", error: errorMessage(journalError) },
        "the swap journal could not be written",
      );
    }
    const rollbackErrors = await rollBack(docker, { newId, old, asideName, name: request.name, wasRunning });
    return {
      ok: false,
      error,
      restored: rollbackErrors.length === 0,
      rollbackErrors,
      newContainerId: newId,
      asideName,
    };
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
  const owner = byName ? containerWorkspaceId(byName) : undefined;
  if (byName && owner !== undefined && owner !== workspaceId) {
    throw new ConflictError(`container name ${name} is taken by a container of workspace ${owner}`);
  }
  if (byId && byName && byId.id !== byName.id) {
    if (owner !== workspaceId)
      throw new ConflictError(`container name ${name} is taken by an unrelated container ${byName.id.slice(0, 12)}`);
    getLogger({ source: "reprovision", workspaceId }).warn(
      { event: "leftover_removed", containerId: byName.id },
      "removed a leftover container of an interrupted run",
    );
    await docker.removeContainer(byName.id, { force: true });
  }
  return byId ?? byName;
}

/** The workspace a container belongs to: Fleetpin's label, else the platform's `WORKSPACE_ID=` variable. */
function containerWorkspaceId(container: DockerContainer): string | undefined {
  const label = container.labels[LABEL_WORKSPACE_ID];
  if (label !== undefined) return label.toLowerCase();
  const fromEnv = container.env.find((entry) => entry.startsWith("WORKSPACE_ID="));
  return fromEnv ? fromEnv.slice("WORKSPACE_ID=".length).toLowerCase() : undefined;
}

/**
 * Undoes a swap: removes the new container, gives the old one its name back and starts it if asked. Each step is
 * attempted even if an earlier one failed: half a rollback beats none.
 */
export async function rollBack(
  docker: DockerClient,
  state: {
    newId: string | null;
    old: Pick<DockerContainer, "id"> | null;
    asideName: string | null;
    name: string;
    wasRunning: boolean;
  },
): Promise<string[]> {
  const errors: string[] = [];
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      errors.push(`${what}: ${errorMessage(error)}`);
      getLogger({ source: "containerSwap" }).error(
        { event: "rollback_step_failed", step: what, error: errorMessage(error) },
        `rollback step failed: ${what}`,
      );
    }
  };
  if (state.newId)
    await attempt(`remove new container ${state.newId.slice(0, 12)}`, () =>
      docker.removeContainer(state.newId!, { force: true }),
    );
  const old = state.old;
  if (old) {
    if (state.asideName)
      await attempt(`rename ${state.asideName} back to ${state.name}`, () =>
        docker.renameContainer(old.id, state.name),
      );
    if (state.wasRunning)
      await attempt(`restart old container ${old.id.slice(0, 12)}`, () => docker.startContainer(old.id));
  }
  return errors;
}
