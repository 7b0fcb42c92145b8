import "server-only";

import type { Env } from "@/lib/config";
import { errorMessage } from "@/lib/domain/errors";
import { getLogger } from "@/lib/log/logger";
import { dockerClientForHost, hostNames } from "@/lib/provisioner/docker/hosts";
import type { DockerClient } from "@/lib/provisioner/docker/types";
import { runRepairPass } from "@/lib/provisioner/swap/repair-loop";

import { startLiveState, type LiveState, type LiveStateDeps } from "./live-state";

export interface HostsLiveStateDeps extends Omit<LiveStateDeps, "docker" | "host" | "onEngineBack"> {
  env?: Env;
  /** dockerClientForHost unless a test injects another. */
  clientFor?: (host: string) => Promise<DockerClient>;
  /** How often the host list is read again to follow hosts added, edited or removed (default: the reconcile interval). */
  refreshIntervalMs?: number;
  /** After a host answers again (default: that host's repair pass). */
  onHostBack?: (host: string, docker: DockerClient) => void;
}

export interface HostsLiveState extends LiveState {
  /** The hosts followed now, with the endpoint each follower uses. */
  followed(): Map<string, string>;
  /** Reads the host list now and starts/stops followers to match. */
  refresh(): Promise<void>;
}

/**
 * Live state for every host: one follower per host (its own event stream, reconcile timer and
 * "unknown" marks scoped to its workspaces), so an unreachable engine marks only its own rows and
 * never delays another's events or reconciles. The host list is re-read periodically: a host added
 * in Settings is followed within one interval, an edited one (new endpoint or TLS) is restarted on
 * its new client, a removed one stopped.
 */
export function startHostsLiveState(deps: HostsLiveStateDeps): HostsLiveState {
  const { db } = deps;
  const clientFor = deps.clientFor ?? ((host: string) => dockerClientForHost(host, { db, env: deps.env }));
  const followers = new Map<string, { docker: DockerClient; liveState: LiveState }>();
  let stopped = false;

  const startFor = (host: string, docker: DockerClient) => {
    const onBack =
      deps.onHostBack ??
      ((name: string, client: DockerClient) => void runRepairPass({ db, docker: client, env: deps.env, host: name }));
    const liveState = startLiveState({ ...deps, docker, host, onEngineBack: () => onBack(host, docker) });
    followers.set(host, { docker, liveState });
  };

  let refreshing: Promise<void> = Promise.resolve();
  const refresh = () =>
    (refreshing = refreshing.then(async () => {
      if (stopped) return;
      let names: string[];
      try {
        names = await hostNames(db);
      } catch (error) {
        getLogger({ source: "liveState" }).warn(
          { event: "hosts_unreadable", error: errorMessage(error) },
          "live state: cannot read the Docker hosts; keeping the current followers",
        );
        return;
      }
      for (const [host, follower] of followers) {
        if (names.includes(host)) continue;
        followers.delete(host);
        await follower.liveState.stop();
      }
      for (const host of names) {
        let docker: DockerClient;
        try {
          docker = await clientFor(host);
        } catch (error) {
          getLogger({ source: "liveState" }).warn(
            { event: "host_unavailable", host, error: errorMessage(error) },
            `live state: Docker host "${host}" cannot be followed`,
          );
          continue;
        }
        const current = followers.get(host);
        if (current?.docker === docker) continue;
        if (current) await current.liveState.stop();
        startFor(host, docker);
      }
    }));

  void refresh();
  const timer = setInterval(() => void refresh(), deps.refreshIntervalMs ?? deps.reconcileIntervalMs);
  timer.unref?.();

  return {
    followed: () => new Map([...followers].map(([host, follower]) => [host, follower.docker.endpoint])),
    refresh,
    async reconcileNow() {
      await refreshing;
      await Promise.all([...followers.values()].map((follower) => follower.liveState.reconcileNow()));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await refreshing;
      await Promise.all([...followers.values()].map((follower) => follower.liveState.stop()));
      followers.clear();
    },
  };
}
