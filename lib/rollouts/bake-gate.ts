import "server-only";

import type { Db } from "@/lib/db/client";
import { gateMemberRows, type GateMemberRow } from "@/lib/db/rollouts/members";
import { errorMessage } from "@/lib/domain/errors";
import type { RingProbe } from "@/lib/domain/rings";
import type { GateFailure, GateObservation } from "@/lib/domain/rollout-machine";
import type { DockerClient, DockerContainer } from "@/lib/provisioner/docker/types";

import { defaultHttpStatus, hostClients, type RolloutDeps } from "./deps";

// The bake gate (issue 18): one look at a ring's moved workspaces. Every container must be
// running, with no restart since its reprovision (see takeBaselines), and
// `healthy` where the image has a healthcheck; the optional HTTP probe must answer as expected.

export type GateMember = { workspaceId: string; state: string; reason: string | null; logLines?: string[] | null };
export type GateLook = { gate: GateObservation; members: GateMember[] };

/**
 * Each watched member's container now and the restarts its bake counts from: the bake's baseline.
 * A member watched through the ring's operation runs a container that operation created, so its
 * restarts count from 0 (its creation): the count read here would already hold a restart in the
 * seconds between the reprovision's end and the tick that began the bake, and miss it.
 */
export async function takeBaselines(
  db: Db,
  rolloutId: string,
  position: number,
  operationId: string | null,
  deps: RolloutDeps,
): Promise<{ workspaceId: string; containerId: string | null; restartCount: number | null }[]> {
  const clientOf = hostClients(db, deps);
  const members = await gateMemberRows(db, rolloutId, position, operationId);
  return Promise.all(
    members.map(async (member) => {
      const container = await inspect(clientOf, member).catch(() => null);
      return {
        workspaceId: member.workspace_id,
        containerId: container?.id ?? member.container_id,
        restartCount: container ? (operationId !== null ? 0 : container.restartCount) : null,
      };
    }),
  );
}

export async function lookAtGate(
  db: Db,
  ring: { rolloutId: string; position: number; operationId: string | null; probe: RingProbe | null },
  deps: RolloutDeps,
): Promise<GateLook> {
  const clientOf = hostClients(db, deps);
  const members = await gateMemberRows(db, ring.rolloutId, ring.position, ring.operationId);
  const looks = await Promise.all(members.map((member) => lookAtMember(clientOf, member, ring.probe, deps)));
  const failures: GateFailure[] = looks
    .filter((look) => look.reason !== null)
    .map((look) => ({ workspaceId: look.workspaceId, reason: look.reason! }));
  const unknown = looks.filter((look) => look.state === "unknown").map((look) => look.workspaceId);
  const gate = { ok: failures.length === 0, failures, ...(unknown.length > 0 ? { unknown } : {}) };
  return { gate, members: looks };
}

async function lookAtMember(
  clientOf: (host: string) => Promise<DockerClient>,
  member: GateMemberRow,
  probe: RingProbe | null,
  deps: RolloutDeps,
): Promise<GateMember> {
  const fail = (state: string, reason: string, logLines: string[] | null = null): GateMember => ({
    workspaceId: member.workspace_id,
    state,
    reason: `${member.name}: ${reason}`,
    logLines,
  });
  let docker: DockerClient;
  let container: DockerContainer | null;
  try {
    docker = await clientOf(member.host);
    container = await inspect(clientOf, member);
  } catch {
    // An engine we cannot reach says nothing about the image: not a failure, but not a pass either.
    return { workspaceId: member.workspace_id, state: "unknown", reason: null };
  }
  if (!container) return fail("gone", "its container is gone");
  const logs = () => lastLogLines(docker, container!.id);
  if (member.baseline_container && container.id !== member.baseline_container) {
    return fail("replaced", "its container was replaced during the bake", await logs());
  }
  if (!container.running) {
    return fail(container.status, `container ${container.status} (exit code ${container.exitCode})`, await logs());
  }
  const restarts = container.restartCount - (member.baseline_restarts ?? container.restartCount);
  if (restarts > 0) return fail("restarted", `restarted ${restarts} time(s) during the bake`, await logs());
  if (container.health === "unhealthy") return fail("unhealthy", "healthcheck reports unhealthy", await logs());
  if (probe) {
    const problem = await probeProblem(docker, container, probe, deps);
    if (problem) return fail("probe_failed", problem, await logs());
  }
  return { workspaceId: member.workspace_id, state: container.health ?? "running", reason: null, logLines: null };
}

async function inspect(clientOf: (host: string) => Promise<DockerClient>, member: GateMemberRow) {
  const ref = member.container_id ?? member.baseline_container;
  if (!ref) return null;
  return (await clientOf(member.host)).inspectContainer(ref);
}

const LOG_TAIL = 20;

async function lastLogLines(docker: DockerClient, containerId: string): Promise<string[]> {
  try {
    const text = await docker.containerLogs(containerId, { tail: LOG_TAIL });
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(-LOG_TAIL);
  } catch (error) {
    return [`(logs unavailable: ${errorMessage(error)})`];
  }
}

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[] | null>;

/** The probe through the workspace's first published port on its host; a problem in words, or null. */
async function probeProblem(
  docker: DockerClient,
  container: DockerContainer,
  probe: RingProbe,
  deps: RolloutDeps,
): Promise<string | null> {
  const ports = ((container.inspect.NetworkSettings ?? {}) as { Ports?: PortBindings | null }).Ports ?? {};
  const published = Object.values(ports)
    .flatMap((bindings) => bindings ?? [])
    .find((binding) => binding.HostPort);
  if (!published) return `no published port to probe ${probe.path} through`;
  const url = `http://${probeAddress(docker.endpoint, published.HostIp)}:${published.HostPort}${probe.path}`;
  try {
    const status = await (deps.httpStatus ?? defaultHttpStatus)(url);
    return status === probe.expectedStatus
      ? null
      : `probe ${probe.path} answered ${status}, expected ${probe.expectedStatus}`;
  } catch (error) {
    return `probe ${probe.path} failed: ${errorMessage(error)}`;
  }
}

/** The address a host's published ports answer on: the engine's TCP host, or loopback for a local socket. */
export function probeAddress(endpoint: string, hostIp?: string): string {
  const tcp = /^tcp:\/\/([^:/]+)/.exec(endpoint);
  if (tcp) return tcp[1]!;
  return hostIp && hostIp !== "0.0.0.0" && hostIp !== "::" ? hostIp : "127.0.0.1";
}
