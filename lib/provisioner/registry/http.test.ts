import { describe, expect, it } from "vitest";

import { type Env, registryConfig } from "@/lib/config";
import { ValidationError } from "@/lib/domain/errors";
import { InvalidImageReferenceError } from "@/lib/domain/image-ref";

import {
  hostName,
  isLoopbackHost,
  isValidRegistryHost,
  parseInsecureRegistries,
  parseLinkNext,
  parseRegistryErrors,
  parseRetryAfter,
  parseWwwAuthenticate,
  registryApiHost,
  registryCredentials as credentialsFor,
  registryRepository,
  registryScheme,
  splitRegistryReference,
  validateRepositoryName,
  validateTagName,
} from "./http";
import { classifyNetworkError } from "./network-errors";

describe("parseWwwAuthenticate", () => {
  it.each([
    [null, []],
    ["", []],
    ['Basic realm="fleetpin-test"', [{ scheme: "basic", params: { realm: "fleetpin-test" } }]],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:molecule-ai/x:pull"',
      [
        {
          scheme: "bearer",
          params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:molecule-ai/x:pull" },
        },
      ],
    ],
    [
      // distribution adds error="insufficient_scope" when a token lacks the access
      'Bearer realm="http://127.0.0.1:9/t", service="reg", scope="repository:a/b:pull,push", error="insufficient_scope"',
      [
        {
          scheme: "bearer",
          params: {
            realm: "http://127.0.0.1:9/t",
            service: "reg",
            scope: "repository:a/b:pull,push",
            error: "insufficient_scope",
          },
        },
      ],
    ],
    ["BEARER Realm=unquoted, Service=s", [{ scheme: "bearer", params: { realm: "unquoted", service: "s" } }]],
    ['Bearer realm="a \\"quoted\\" realm"', [{ scheme: "bearer", params: { realm: 'a "quoted" realm' } }]],
    [
      'Negotiate abc==, Basic realm="r", Bearer realm="t"',
      [
        { scheme: "negotiate", params: {} },
        { scheme: "basic", params: { realm: "r" } },
        { scheme: "bearer", params: { realm: "t" } },
      ],
    ],
    ["Basic", [{ scheme: "basic", params: {} }]],
  ])("%j", (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["1", 1000],
    [" 120 ", 120_000],
    ["0", 0],
    ["Thu, 01 Jan 2026 00:00:05 GMT", 5000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0], // a date in the past means "now"
    ["-1", undefined],
    ["1.5", undefined],
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
  ])("%j → %j ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("parseLinkNext", () => {
  const base = "http://127.0.0.1:5000/v2/a/tags/list";
  it.each([
    ['</v2/a/tags/list?last=b&n=2>; rel="next"', "http://127.0.0.1:5000/v2/a/tags/list?last=b&n=2"],
    ["<https://other.example/v2/a/tags/list?last=b>; rel=next", "https://other.example/v2/a/tags/list?last=b"],
    ['</prev>; rel="prev", </v2/a/tags/list?last=z>; rel="next"', "http://127.0.0.1:5000/v2/a/tags/list?last=z"],
    ['</x>; rel="prev"', undefined],
    ["", undefined],
    [null, undefined],
  ])("%j", (header, expected) => {
    expect(parseLinkNext(header, base)).toBe(expected);
  });
});

describe("parseRegistryErrors", () => {
  it("reads errors[].code and message, ignoring malformed entries", () => {
    const body = JSON.stringify({
      errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }, { nope: 1 }, null],
    });
    expect(parseRegistryErrors(body)).toEqual([
      { code: "NAME_UNKNOWN", message: "repository name not known to registry" },
    ]);
  });
  it.each(["", "not json", "null", "{}", '{"errors":"x"}'])("%j → []", (body) => {
    expect(parseRegistryErrors(body)).toEqual([]);
  });
});

describe("hosts and schemes", () => {
  it.each([
    ["127.0.0.1:5000", true],
    ["localhost", true],
    ["ghcr.io", true],
    ["registry-1.docker.io:443", true],
    ["[::1]:5000", true],
    ["http://ghcr.io", false],
    ["ghcr.io/molecule-ai", false],
    ["-bad.io", false],
    ["", false],
    ["host:port", false],
  ])("isValidRegistryHost(%j) = %j", (host, expected) => {
    expect(isValidRegistryHost(host)).toBe(expected);
  });

  it.each([
    ["127.0.0.1:5000", "127.0.0.1"],
    ["[::1]:5000", "[::1]"],
    ["[::1]", "[::1]"],
    ["ghcr.io", "ghcr.io"],
  ])("hostName(%j) = %j", (host, expected) => {
    expect(hostName(host)).toBe(expected);
  });

  it.each([
    ["localhost", true],
    ["LOCALHOST:5000", true],
    ["127.0.0.1:5000", true],
    ["127.10.20.30", true],
    ["[::1]:5000", true],
    ["128.0.0.1", false],
    ["127.0.0.1.example.com", false],
    ["localhost.example.com", false],
    ["ghcr.io", false],
  ])("isLoopbackHost(%j) = %j", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it("parses FLEETPIN_INSECURE_REGISTRIES leniently", () => {
    expect(parseInsecureRegistries(" Registry.Lan:5000 , http://10.0.0.5/,, reg.internal ")).toEqual([
      "registry.lan:5000",
      "10.0.0.5",
      "reg.internal",
    ]);
    expect(parseInsecureRegistries(undefined)).toEqual([]);
  });

  it.each([
    ["127.0.0.1:5000", [], "http"],
    ["localhost:5000", [], "http"],
    ["[::1]:5000", [], "http"],
    ["ghcr.io", [], "https"],
    ["registry.lan:5000", ["registry.lan:5000"], "http"],
    ["registry.lan:5001", ["registry.lan:5000"], "https"],
    ["registry.lan:5001", ["registry.lan"], "http"], // an entry without port covers every port
    ["REGISTRY.LAN", ["registry.lan"], "http"],
    ["other.lan", ["registry.lan"], "https"],
  ] as const)("registryScheme(%j, %j) = %j", (host, insecure, expected) => {
    expect(registryScheme(host, insecure)).toBe(expected);
  });

  it("maps Docker Hub to its API host and library/ namespace", () => {
    expect(registryApiHost("docker.io")).toBe("registry-1.docker.io");
    expect(registryApiHost("index.docker.io")).toBe("registry-1.docker.io");
    expect(registryApiHost("GHCR.io")).toBe("ghcr.io");
    expect(registryRepository("docker.io", "nginx")).toBe("library/nginx");
    expect(registryRepository("docker.io", "bitnami/nginx")).toBe("bitnami/nginx");
    expect(registryRepository("ghcr.io", "nginx")).toBe("nginx");
  });
});

describe("splitRegistryReference", () => {
  it.each([
    ["127.0.0.1:5000/molecule-ai", "127.0.0.1:5000", "molecule-ai"],
    ["127.0.0.1:5000/molecule-ai/", "127.0.0.1:5000", "molecule-ai"],
    ["ghcr.io/molecule-ai/workspace-template-hermes:latest", "ghcr.io", "molecule-ai/workspace-template-hermes"],
    [
      "localhost:5000/molecule-ai/workspace-template-hermes:0.8.2@sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3",
      "localhost:5000",
      "molecule-ai/workspace-template-hermes",
    ],
    ["nginx", "docker.io", "library/nginx"],
    ["nginx:1.27", "docker.io", "library/nginx"],
    ["redis:6", "docker.io", "library/redis"], // not host "redis" port 6: no dot, not localhost
    ["bitnami/nginx", "docker.io", "bitnami/nginx"],
    ["docker.io/nginx", "docker.io", "library/nginx"],
    ["index.docker.io/library/nginx", "docker.io", "library/nginx"],
    ["GHCR.IO/molecule-ai", "ghcr.io", "molecule-ai"],
    ["[::1]:5000/x/y", "[::1]:5000", "x/y"],
    // a MOLECULE_IMAGE_REGISTRY of just a host
    ["localhost:5000", "localhost:5000", ""],
    ["127.0.0.1:5000", "127.0.0.1:5000", ""],
    ["ghcr.io", "ghcr.io", ""],
    ["  registry.example.com/molecule-ai  ", "registry.example.com", "molecule-ai"],
  ])("%j → %j + %j", (ref, host, repository) => {
    expect(splitRegistryReference(ref)).toEqual({ host, repository });
  });

  it.each(["", "UPPER/case", "ghcr.io//x", "a b"])("rejects %j", (ref) => {
    expect(() => splitRegistryReference(ref)).toThrow(InvalidImageReferenceError);
  });
});

describe("registryCredentials", () => {
  // The env as lib/config reads it; half a pair is refused there (lib/config/registry.test.ts too).
  const registryCredentials = (host: string, env: Env) => credentialsFor(host, registryConfig(env));
  const prefix = { MOLECULE_IMAGE_REGISTRY: "127.0.0.1:5000/molecule-ai" };

  it("gives FLEETPIN_REGISTRY_* to the MOLECULE_IMAGE_REGISTRY host only", () => {
    const env = { ...prefix, FLEETPIN_REGISTRY_USERNAME: " ops ", FLEETPIN_REGISTRY_PASSWORD: "s3cret\n" };
    expect(registryCredentials("127.0.0.1:5000", env)).toEqual({ username: "ops", password: "s3cret" });
    expect(registryCredentials("evil.example", env)).toBeUndefined();
    expect(registryCredentials("127.0.0.1:5001", env)).toBeUndefined();
  });

  it("defaults the prefix to ghcr.io/molecule-ai", () => {
    const env = {
      FLEETPIN_REGISTRY_USERNAME: "ops",
      FLEETPIN_REGISTRY_PASSWORD: "pw",
      GHCR_USER: "seed",
      GHCR_TOKEN: "tok",
    };
    expect(registryCredentials("ghcr.io", env)).toEqual({ username: "ops", password: "pw" });
  });

  it("falls back to the seed's GHCR_USER/GHCR_TOKEN, trimmed, for ghcr.io only", () => {
    const env = { ...prefix, GHCR_USER: " seed ", GHCR_TOKEN: " ghp_token \n" };
    expect(registryCredentials("ghcr.io", env)).toEqual({ username: "seed", password: "ghp_token" });
    expect(registryCredentials("GHCR.IO", env)).toEqual({ username: "seed", password: "ghp_token" });
    expect(registryCredentials("127.0.0.1:5000", env)).toBeUndefined();
    expect(registryCredentials("ghcr.io", { ...prefix, GHCR_USER: "seed", GHCR_TOKEN: "  " })).toBeUndefined();
  });

  it("rejects a half-configured pair for the prefix host instead of going anonymous", () => {
    expect(() => registryCredentials("127.0.0.1:5000", { ...prefix, FLEETPIN_REGISTRY_USERNAME: "ops" })).toThrow(
      "FLEETPIN_REGISTRY_PASSWORD is empty: set both FLEETPIN_REGISTRY_USERNAME and FLEETPIN_REGISTRY_PASSWORD, or neither",
    );
    expect(() => registryCredentials("127.0.0.1:5000", { ...prefix, FLEETPIN_REGISTRY_USERNAME: "ops" })).toThrow(
      ValidationError,
    );
    expect(() => registryCredentials("127.0.0.1:5000", { ...prefix, FLEETPIN_REGISTRY_PASSWORD: "pw" })).toThrow(
      /FLEETPIN_REGISTRY_USERNAME is empty/,
    );
  });

  it("is anonymous when nothing is set", () => {
    expect(registryCredentials("127.0.0.1:5000", prefix)).toBeUndefined();
    expect(registryCredentials("ghcr.io", {})).toBeUndefined();
  });
});

describe("validateRepositoryName / validateTagName", () => {
  it.each(["molecule-ai/workspace-template-hermes", "a", "a/b/c", "library/nginx", "a__b/c.d-e"])(
    "accepts repository %j",
    (name) => {
      expect(() => validateRepositoryName(name)).not.toThrow();
    },
  );
  it.each(["", "Upper", "a//b", "a/b:tag", "a@sha256:00", "../etc", "a b", "a/b?x=1", "-a", "a/"])(
    "rejects repository %j",
    (name) => {
      expect(() => validateRepositoryName(name)).toThrow(ValidationError);
    },
  );
  it.each(["latest", "v1.2.3", "sha-abc1234", "A_b-c.d", "x".repeat(128)])("accepts tag %j", (tag) => {
    expect(() => validateTagName(tag)).not.toThrow();
  });
  it.each(["", ".hidden", "-x", "a/b", "a:b", "a@b", "x".repeat(129), "a b"])("rejects tag %j", (tag) => {
    expect(() => validateTagName(tag)).toThrow(ValidationError);
  });
});

describe("classifyNetworkError", () => {
  const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });
  const coded = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    [fetchFailed(coded("ECONNREFUSED")), { reason: "connection refused", retriable: true }],
    [
      fetchFailed(new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")])),
      { reason: "connection refused", retriable: true },
    ],
    [fetchFailed(coded("ENOTFOUND")), { reason: "host name not found (DNS)", retriable: false }],
    [fetchFailed(coded("UND_ERR_SOCKET")), { reason: "connection closed unexpectedly", retriable: true }],
    [
      fetchFailed(coded("ERR_SSL_WRONG_VERSION_NUMBER")),
      {
        reason:
          "TLS failure (ERR_SSL_WRONG_VERSION_NUMBER); a plain-HTTP registry must be listed in FLEETPIN_INSECURE_REGISTRIES",
        retriable: false,
      },
    ],
    [
      fetchFailed(coded("DEPTH_ZERO_SELF_SIGNED_CERT")),
      { reason: expect.stringContaining("TLS failure"), retriable: false },
    ],
    [
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      { reason: "no answer within 500 ms", retriable: false },
    ],
    [fetchFailed(new Error("other side closed")), { reason: "fetch failed", retriable: true }],
  ])("%s", (error, expected) => {
    expect(classifyNetworkError(error, 500)).toEqual(expected);
  });

  it("leaves programming errors alone", () => {
    expect(classifyNetworkError(new TypeError("undefined is not a function"), 500)).toBeUndefined();
    expect(classifyNetworkError(new Error("boom"), 500)).toBeUndefined();
    expect(classifyNetworkError("string", 500)).toBeUndefined();
  });
});
