// The host registry against real engines: the shared test dockerd as `local`, and the test
// services' third engine on TCP + TLS (client certificates made with openssl by start.sh).
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { addHost, updateHost } from "@/lib/hosts/hosts";
import { hostInputSchema } from "@/lib/schemas/host";
import { availableBackends } from "@/test/databases";
import { dockerServicesAvailable } from "@/test/docker";
import { serviceEngine, serviceEnginesAvailable } from "@/test/service-engines";
import { useTestDatabase } from "@/test/use-test-database";

import { dockerClientForHost, localEndpoint, probeHosts, registerLocalHost } from "./hosts";

const servicesUp = dockerServicesAvailable() && serviceEnginesAvailable();
const env = { ...process.env, FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };
const tlsEngine = servicesUp ? serviceEngine(3) : undefined;

describe.runIf(servicesUp).each(availableBackends())("the host registry on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["docker_hosts", "audit_log"] });
  const register = (name: string, over: Record<string, unknown>) =>
    addHost(db(), hostInputSchema.parse({ name, ...over }), "t", env);

  it("reaches a TLS engine with the stored client certificates, and not without them", async () => {
    await register("tls-1", { endpoint: tlsEngine!.endpoint, tls: tlsEngine!.tls });
    const client = await dockerClientForHost("tls-1", { db: db(), env });
    await client.ping();
    expect(Array.isArray(await client.listManagedContainers())).toBe(true);

    await updateHost(db(), "tls-1", { endpoint: tlsEngine!.endpoint, labels: {}, concurrency: 4, tls: null }, "t", env);
    const bare = await dockerClientForHost("tls-1", { db: db(), env });
    expect(bare).not.toBe(client); // an edit gets a new client
    await expect(bare.ping()).rejects.toThrow();
  });

  it("shares one client per host endpoint", async () => {
    await register("tls-1", { endpoint: tlsEngine!.endpoint, tls: tlsEngine!.tls });
    expect(await dockerClientForHost("tls-1", { db: db(), env })).toBe(
      await dockerClientForHost("tls-1", { db: db(), env }),
    );
  });

  it("local is DOCKER_HOST until registered; registering it takes DOCKER_HOST's endpoint", async () => {
    const unregistered = await dockerClientForHost("local", { db: db(), env });
    await unregistered.ping();
    expect(await registerLocalHost(db(), env)).toBe("registered");
    expect(await registerLocalHost(db(), env)).toBe("present");
    const row = await db().dockerHost.findUniqueOrThrow({ where: { name: "local" } });
    expect(row.endpoint).toBe(localEndpoint(env));
    await (await dockerClientForHost("local", { db: db(), env })).ping();
  });

  it("an unknown host is a DockerUnavailableError naming it", async () => {
    await expect(dockerClientForHost("nowhere", { db: db(), env })).rejects.toThrow(
      /Docker host "nowhere" is not registered/,
    );
  });

  it("probes every host, each on its own: a dead engine is reported, the others answer", async () => {
    await registerLocalHost(db(), env);
    await register("tls-1", { endpoint: tlsEngine!.endpoint, tls: tlsEngine!.tls });
    await register("gone", { endpoint: "unix:///tmp/fleetpin-no-such-engine.sock" });
    const probed = await probeHosts(db(), { env, timeoutMs: 10_000 });
    expect(probed.map((h) => [h.name, h.reachable])).toEqual([
      ["gone", false],
      ["local", true],
      ["tls-1", true],
    ]);
    expect(probed[0]!.error).toMatch(/not reachable|ENOENT|connect/i);
    expect(probed.every((h) => !("tlsKey" in h))).toBe(true);
  });
  it("a host whose TLS material cannot be opened is reported alone; the others are still probed", async () => {
    await registerLocalHost(db(), env);
    await register("tls-1", { endpoint: tlsEngine!.endpoint, tls: tlsEngine!.tls });
    // Another process's key: the stored material cannot be opened with it.
    const otherKey = { ...env, FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };
    const probed = await probeHosts(db(), { env: otherKey, timeoutMs: 10_000 });
    expect(probed.map((h) => [h.name, h.reachable])).toEqual([
      ["local", true],
      ["tls-1", false],
    ]);
    expect(probed[1]!.error).toMatch(/Docker host "tls-1": its TLS material cannot be opened/);
  });
});
