import path from "node:path";

import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";

import { appConfig, ConfigError, CONFIG_VARIABLES, loadConfig } from "./index";

type Row = {
  variable: string;
  /** Where the variable lands in the config, as "area.key". */
  at: string;
  unset: unknown;
  valid: [string, unknown][];
  /** Values refused, and a fragment of what the message says is accepted. */
  invalid: [string, string][];
};

const seconds = (whole: boolean) => (whole ? "a whole number of seconds" : "a number of seconds");

const ROWS: Row[] = [
  {
    variable: "DATABASE_URL",
    at: "database.kind",
    unset: "pglite",
    valid: [["postgres://u@db/x", "postgres"]],
    invalid: [["mysql://db/x", "must start with postgres://"]],
  },
  {
    variable: "FLEETPIN_DATA_DIR",
    at: "database.dataDir",
    unset: path.resolve("./.data/pglite"),
    valid: [
      ["/srv/pg", "/srv/pg"],
      ["memory://", "memory://"],
    ],
    invalid: [],
  },
  {
    variable: "DOCKER_HOST",
    at: "docker.host",
    unset: undefined,
    valid: [
      ["unix:///run/d.sock", "unix:///run/d.sock"],
      ["tcp://10.0.0.2:2376", "tcp://10.0.0.2:2376"],
      ["10.0.0.2:2375", "10.0.0.2:2375"],
    ],
    invalid: [
      ["ftp://x", "unix:///path/to/socket, tcp://host:port or http(s)://host:port"],
      ["tcp://", "unix:///path"],
    ],
  },
  {
    variable: "DOCKER_TLS_VERIFY",
    at: "docker.tlsVerify",
    unset: false,
    valid: [
      ["1", true],
      ["0", false],
    ],
    invalid: [["yes", "0 or 1"]],
  },
  { variable: "DOCKER_CERT_PATH", at: "docker.certPath", unset: undefined, valid: [["/certs", "/certs"]], invalid: [] },
  {
    variable: "MOLECULE_IMAGE_REGISTRY",
    at: "registry.imagePrefix",
    unset: "ghcr.io/molecule-ai",
    valid: [
      ["localhost:5000/m/", "localhost:5000/m"],
      ["  ", "ghcr.io/molecule-ai"],
    ],
    invalid: [],
  },
  {
    variable: "MOLECULE_IMAGE_PLATFORM",
    at: "images.platform",
    unset: "linux/amd64",
    valid: [
      ["linux/arm64", "linux/arm64"],
      ["", ""],
    ],
    invalid: [],
  },
  {
    variable: "WORKSPACE_IMAGE_LOCAL_OVERRIDE",
    at: "images.localOverride",
    unset: false,
    valid: [
      ["0", true],
      ["", false],
    ],
    invalid: [],
  },
  {
    variable: "FLEETPIN_CONTAINER_NETWORK",
    at: "reprovision.containerNetwork",
    unset: "bridge",
    valid: [[" molecule-net ", "molecule-net"]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_STOP_TIMEOUT_SECONDS",
    at: "reprovision.stopTimeoutSeconds",
    unset: 10,
    valid: [
      ["0", 0],
      ["30", 30],
    ],
    invalid: [
      ["-1", seconds(true)],
      ["1.5", seconds(true)],
      ["10s", "≥ 0"],
    ],
  },
  {
    variable: "FLEETPIN_LOCK_STALE_SECONDS",
    at: "reprovision.lockStaleMs",
    unset: 120_000,
    valid: [
      ["300", 300_000],
      ["0.5", 500],
    ],
    invalid: [
      ["0", "> 0"],
      ["two", seconds(false)],
    ],
  },
  {
    variable: "FLEETPIN_BULK_CONCURRENCY",
    at: "reprovision.bulkConcurrency",
    unset: 4,
    valid: [
      ["1", 1],
      ["32", 32],
    ],
    invalid: [
      ["0", "from 1 to 32"],
      ["33", "from 1 to 32"],
      ["x", "whole number"],
    ],
  },
  {
    variable: "FLEETPIN_HEALTH_TIMEOUT_SECONDS",
    at: "healthGate.timeoutSeconds",
    unset: 120,
    valid: [
      ["0", 0],
      ["2.5", 2.5],
    ],
    invalid: [
      ["-5", "≥ 0"],
      ["abc", seconds(false)],
    ],
  },
  {
    variable: "FLEETPIN_HEALTH_SETTLE_SECONDS",
    at: "healthGate.settleSeconds",
    unset: 5,
    valid: [
      ["0", 0],
      ["12", 12],
    ],
    invalid: [["1e3", seconds(false)]],
  },
  {
    variable: "FLEETPIN_REPAIR_INTERVAL_SECONDS",
    at: "repair.intervalMs",
    unset: 30_000,
    valid: [
      ["0", 0],
      ["10", 10_000],
    ],
    invalid: [["soon", "≥ 0"]],
  },
  {
    variable: "FLEETPIN_REPAIR_START_STOPPED",
    at: "repair.startStopped",
    unset: true,
    valid: [
      ["0", false],
      [" 1 ", true],
    ],
    invalid: [["off", "0 or 1"]],
  },
  {
    variable: "FLEETPIN_LIVE_STATE",
    at: "liveState.enabled",
    unset: true,
    valid: [
      ["0", false],
      [" 0 ", false],
      ["1", true],
    ],
    invalid: [["false", "0 or 1"]],
  },
  {
    variable: "FLEETPIN_RECONCILE_INTERVAL_SECONDS",
    at: "liveState.reconcileIntervalMs",
    unset: 60_000,
    valid: [
      ["5", 5_000],
      [" 300 ", 300_000],
    ],
    invalid: ["4", "0", "-1", "1.5", "ten", "1e3"].map((v) => [v, "a whole number of seconds ≥ 5"]),
  },
  {
    variable: "FLEETPIN_REGISTRY_USERNAME",
    at: "registry.credentials",
    unset: undefined,
    valid: [],
    invalid: [["bot", "set both FLEETPIN_REGISTRY_USERNAME and FLEETPIN_REGISTRY_PASSWORD, or neither"]],
  },
  {
    variable: "FLEETPIN_REGISTRY_PASSWORD",
    at: "registry.credentials",
    unset: undefined,
    valid: [],
    invalid: [["s3cret", "set both"]],
  },
  { variable: "GHCR_USER", at: "registry.ghcrCredentials", unset: undefined, valid: [["bot", undefined]], invalid: [] },
  {
    variable: "GHCR_TOKEN",
    at: "registry.ghcrCredentials",
    unset: undefined,
    valid: [["tok", undefined]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_INSECURE_REGISTRIES",
    at: "registry.insecureRegistries",
    unset: [],
    valid: [["Reg.Example:5000, http://other/ ,", ["reg.example:5000", "other"]]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_ADMIN_EMAIL",
    at: "auth.adminEmail",
    unset: undefined,
    valid: [[" ops@example.com ", "ops@example.com"]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_ADMIN_PASSWORD",
    at: "auth.adminPassword",
    unset: undefined,
    valid: [[" spaces kept ", " spaces kept "]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_INSECURE_COOKIES",
    at: "auth.secureCookies",
    unset: true,
    valid: [
      ["1", false],
      ["0", true],
    ],
    invalid: [["true", "0 or 1"]],
  },
  {
    variable: "FLEETPIN_TRUST_PROXY",
    at: "auth.trustProxyHops",
    unset: 0,
    valid: [
      ["1", 1],
      ["true", 1],
      ["10", 10],
      ["0", 0],
    ],
    invalid: [
      ["11", "from 0 to 10"],
      ["-1", "from 0 to 10"],
      ["yes", "from 0 to 10"],
    ],
  },
  { variable: "HOST", at: "server.host", unset: "127.0.0.1", valid: [["0.0.0.0", "0.0.0.0"]], invalid: [] },
  {
    variable: "PORT",
    at: "server.port",
    unset: 3000,
    valid: [["8080", 8080]],
    invalid: [
      ["0", "from 1 to 65535"],
      ["http", "whole number"],
    ],
  },
  {
    variable: "FLEETPIN_LOG_LEVEL",
    at: "log.level",
    unset: "info",
    valid: [
      ["debug", "debug"],
      ["silent", "silent"],
    ],
    invalid: [["verbose", "one of fatal, error, warn, info, debug, trace, silent"]],
  },
  {
    variable: "FLEETPIN_API_RATE_LIMIT",
    at: "api.rateLimitPerMinute",
    unset: 600,
    valid: [["5", 5]],
    invalid: [
      ["0", "from 1 to"],
      ["lots", "whole number"],
    ],
  },
  {
    variable: "FLEETPIN_WATCH_INTERVAL",
    at: "ledger.watchIntervalSeconds",
    unset: 300,
    valid: [
      ["0", 0],
      ["0.5", 0.5],
    ],
    invalid: [
      ["-1", "≥ 0"],
      ["soon", seconds(false)],
    ],
  },
  {
    variable: "FLEETPIN_WATCH_TAGS",
    at: "ledger.watchTags",
    unset: ["latest"],
    valid: [["latest, stable ,latest", ["latest", "stable"]]],
    invalid: [["-bad", "not a tag"]],
  },
  {
    variable: "FLEETPIN_MIN_DIGEST_AGE",
    at: "ledger.minDigestAgeSeconds",
    unset: 0,
    valid: [["3600", 3600]],
    invalid: [["x", seconds(true)]],
  },
  {
    variable: "FLEETPIN_REGISTRY_EVENTS_TOKEN",
    at: "ledger.registryEventsToken",
    unset: null,
    valid: [[" s3cret ", "s3cret"]],
    invalid: [],
  },
  {
    variable: "FLEETPIN_WEBHOOK_RETRY_BASE_SECONDS",
    at: "webhooks.retryBaseSeconds",
    unset: 30,
    valid: [["0.2", 0.2]],
    invalid: [
      ["0", "> 0"],
      ["nope", seconds(false)],
    ],
  },
  {
    variable: "FLEETPIN_HOST_CONCURRENCY",
    at: "workers.hostConcurrency",
    unset: 4,
    valid: [["8", 8]],
    invalid: [["0", "from 1 to 64"]],
  },
  {
    variable: "FLEETPIN_WORKER_CONCURRENCY",
    at: "workers.workerConcurrency",
    unset: null,
    valid: [["24", 24]],
    invalid: [
      ["0", "from 1 to 256"],
      ["many", "from 1 to 256"],
    ],
  },
  {
    variable: "FLEETPIN_JOBS_SUPERVISE_SECONDS",
    at: "workers.jobsSuperviseSeconds",
    unset: 60,
    valid: [["5", 5]],
    invalid: [["0", "> 0"]],
  },
  {
    variable: "FLEETPIN_UNREACHABLE_HOST",
    at: "workers.unreachableHost",
    unset: "fail",
    valid: [["wait", "wait"]],
    invalid: [["later", "one of fail, wait"]],
  },
  {
    variable: "FLEETPIN_SECRET_KEY",
    at: "workers.secretKey",
    unset: null,
    valid: [["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]],
    invalid: [["short", "exactly 32 bytes"]],
  },
];

function at(config: object, where: string): unknown {
  return where.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], config);
}

describe("loadConfig", () => {
  it("has a row here for every variable of the schema", () => {
    expect(ROWS.map((row) => row.variable).sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  describe.each(ROWS)("$variable", ({ variable, at: where, unset, valid, invalid }) => {
    it("has its default when unset", () => {
      expect(at(loadConfig({}), where)).toEqual(unset);
    });

    it.each(valid)("reads %j", (value, expected) => {
      expect(at(loadConfig({ [variable]: value }), where)).toEqual(expected);
    });

    it.each(invalid)("refuses %j, naming the variable and what it accepts", (value, accepted) => {
      const load = () => loadConfig({ [variable]: value });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(variable);
      expect(load).toThrow(accepted);
    });
  });

  it("reads registry credentials only as a pair, and GHCR's when both are set", () => {
    const config = loadConfig({
      FLEETPIN_REGISTRY_USERNAME: " bot ",
      FLEETPIN_REGISTRY_PASSWORD: "pw",
      GHCR_USER: "u",
      GHCR_TOKEN: "t",
    });
    expect(config.registry.credentials).toEqual({ username: "bot", password: "pw" });
    expect(config.registry.ghcrCredentials).toEqual({ username: "u", password: "t" });
  });

  it("lists every wrong variable at once, and is a ValidationError", () => {
    const load = () => loadConfig({ PORT: "x", FLEETPIN_LIVE_STATE: "no", DATABASE_URL: "fleetpin database" });
    expect(load).toThrow(ValidationError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
      expect((error as Error).message).toMatch(/^Invalid configuration:\n- /);
    }
  });

  it("never repeats a database password in its messages", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://fleet:hunter2@db/fleetpin" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  it("returns a frozen object", () => {
    const config = loadConfig({ FLEETPIN_INSECURE_REGISTRIES: "a" });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.registry.insecureRegistries)).toBe(true);
  });

  it("appConfig follows process.env when a variable changes (tests stub it)", async () => {
    const { vi } = await import("vitest");
    vi.stubEnv("FLEETPIN_BULK_CONCURRENCY", "7");
    expect(appConfig().reprovision.bulkConcurrency).toBe(7);
    vi.stubEnv("FLEETPIN_BULK_CONCURRENCY", "9");
    expect(appConfig().reprovision.bulkConcurrency).toBe(9);
    vi.unstubAllEnvs();
  });
});
