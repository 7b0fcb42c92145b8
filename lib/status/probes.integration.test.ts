import { createServer, type Socket } from "node:net";

import { describe, expect, it } from "vitest";

import { registryConfig } from "@/lib/config";
import { createDockerClient } from "@/lib/provisioner/docker/client";
import { createRegistryClient } from "@/lib/provisioner/registry/client";

import { probeDocker, probeRegistry } from "./probes";

const required = process.env.FLEETPIN_REQUIRE_SERVICES === "1";

function serviceEnv(name: "DOCKER_HOST" | "TEST_REGISTRY_HOST"): string | undefined {
  const value = process.env[name];
  if (!value && required)
    throw new Error(`${name} is not set: run the tests through \`npm test\`, which starts the services`);
  return value;
}

/** A TCP port that accepts connections and never answers: a hung service. */
async function silentPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    // The probe abandons its request without aborting it; drop those connections or close() waits forever.
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("probeDocker", () => {
  const dockerHost = serviceEnv("DOCKER_HOST");

  it.skipIf(!dockerHost)("reports the real daemon as reachable", async () => {
    await expect(probeDocker(5_000, createDockerClient({ dockerHost }))).resolves.toEqual({ ok: true });
  });

  it("reports a missing socket with a message naming it", async () => {
    const status = await probeDocker(
      2_000,
      createDockerClient({ dockerHost: "unix:///tmp/fleetpin-no-such-docker.sock" }),
    );
    expect(status.ok).toBe(false);
    expect(!status.ok && status.message).toContain("/tmp/fleetpin-no-such-docker.sock");
  });

  it("gives up on a daemon that never answers within the timeout", async () => {
    const hung = await silentPort();
    try {
      const status = await probeDocker(300, createDockerClient({ dockerHost: `tcp://127.0.0.1:${hung.port}` }));
      expect(status).toEqual({ ok: false, message: expect.stringContaining("did not answer within 300 ms") });
    } finally {
      await hung.close();
    }
  });
});

describe("probeRegistry", () => {
  const registryHost = serviceEnv("TEST_REGISTRY_HOST");

  it.skipIf(!registryHost)("reports the real registry as reachable", async () => {
    const client = createRegistryClient({ host: registryHost!, scheme: "http" });
    await expect(probeRegistry(5_000, registryConfig(), client)).resolves.toEqual({ ok: true });
  });

  it("reports a closed port as unreachable, naming the registry", async () => {
    const closed = await silentPort();
    await closed.close();
    const client = createRegistryClient({ host: `127.0.0.1:${closed.port}`, scheme: "http", maxRetries: 0 });
    const status = await probeRegistry(5_000, registryConfig(), client);
    expect(status.ok).toBe(false);
    expect(!status.ok && status.message).toContain(`127.0.0.1:${closed.port}`);
  });

  it("gives up on a registry that never answers within the timeout", async () => {
    const hung = await silentPort();
    try {
      const client = createRegistryClient({ host: `127.0.0.1:${hung.port}`, scheme: "http", maxRetries: 0 });
      const status = await probeRegistry(300, registryConfig(), client);
      expect(status).toEqual({ ok: false, message: expect.stringContaining("did not answer within 300 ms") });
    } finally {
      await hung.close();
    }
  });
});
