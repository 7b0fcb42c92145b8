import { describe, expect, it } from "vitest";

import { FleetpinError } from "@/lib/domain/errors";

import {
  RegistryAuthError,
  RegistryError,
  registryErrorFromResponse,
  RegistryResponseError,
  RegistryUnreachableError,
  UnknownManifestError,
  UnknownRepositoryError,
} from "./errors";

const target = { registry: "127.0.0.1:5000", repository: "molecule-ai/workspace-template-hermes", reference: "latest" };
const digest = `sha256:${"a".repeat(64)}`;

describe("registry error messages", () => {
  it("name registry, repository and reference, and carry a code", () => {
    const cases: [RegistryError, string, string][] = [
      [
        new RegistryUnreachableError(target, "127.0.0.1:5000", "connection refused"),
        "registry 127.0.0.1:5000 is unreachable: 127.0.0.1:5000: connection refused for molecule-ai/workspace-template-hermes:latest",
        "registry_unreachable",
      ],
      [
        new RegistryAuthError({ registry: "ghcr.io" }, "the configured credentials were rejected", 401),
        "registry ghcr.io denied access (HTTP 401): the configured credentials were rejected",
        "registry_auth",
      ],
      [
        new UnknownRepositoryError(target),
        'repository "molecule-ai/workspace-template-hermes" not found on registry 127.0.0.1:5000',
        "registry_unknown_repository",
      ],
      [
        new UnknownManifestError(target),
        'tag "latest" not found in 127.0.0.1:5000/molecule-ai/workspace-template-hermes',
        "registry_unknown_manifest",
      ],
      [
        new UnknownManifestError({ ...target, reference: digest }),
        `manifest ${digest} not found in 127.0.0.1:5000/molecule-ai/workspace-template-hermes`,
        "registry_unknown_manifest",
      ],
      [
        new RegistryResponseError({ ...target, reference: digest }, 502, "Bad Gateway"),
        `registry 127.0.0.1:5000 answered HTTP 502 for molecule-ai/workspace-template-hermes@${digest}: Bad Gateway`,
        "registry_error",
      ],
    ];
    for (const [error, message, code] of cases) {
      expect(error).toBeInstanceOf(FleetpinError);
      expect(error.message).toBe(message);
      expect(error.code).toBe(code);
      expect(error.registry).toBe(error instanceof RegistryAuthError ? "ghcr.io" : "127.0.0.1:5000");
    }
  });
});

describe("registryErrorFromResponse", () => {
  const failed = (status: number, body = "", statusText = "", retryAfterMs?: number) => ({
    status,
    statusText,
    body,
    retryAfterMs,
  });
  const json = (code: string, message: string) => JSON.stringify({ errors: [{ code, message }] });

  it("maps NAME_UNKNOWN and MANIFEST_UNKNOWN to the specific errors", () => {
    expect(
      registryErrorFromResponse(failed(404, json("NAME_UNKNOWN", "repository name not known to registry")), target),
    ).toBeInstanceOf(UnknownRepositoryError);
    expect(registryErrorFromResponse(failed(404, json("MANIFEST_UNKNOWN", "manifest unknown")), target)).toBeInstanceOf(
      UnknownManifestError,
    );
    // without a reference there is no manifest to name
    const noReference = registryErrorFromResponse(failed(404, json("MANIFEST_UNKNOWN", "manifest unknown")), {
      registry: "r.io",
    });
    expect(noReference).toBeInstanceOf(RegistryResponseError);
  });

  it("keeps status and registry code, and flattens the registry's message to one bounded line", () => {
    const error = registryErrorFromResponse(
      failed(500, json("UNKNOWN", `line one\nline two${"x".repeat(300)}`)),
      target,
    );
    expect(error).toBeInstanceOf(RegistryResponseError);
    expect((error as RegistryResponseError).status).toBe(500);
    expect((error as RegistryResponseError).registryCode).toBe("UNKNOWN");
    expect(error.message).toMatch(
      /^registry 127\.0\.0\.1:5000 answered HTTP 500 UNKNOWN for molecule-ai\/workspace-template-hermes:latest: line one line twox+…$/,
    );
    expect(error.message.length).toBeLessThan(400);
  });

  it("falls back to the status text, and explains a 429", () => {
    expect(registryErrorFromResponse(failed(502, "<html>", "Bad Gateway"), target).message).toMatch(
      /HTTP 502 .*: Bad Gateway$/,
    );
    expect(registryErrorFromResponse(failed(418), { registry: "r.io" }, "token request to auth.r.io").message).toBe(
      "registry r.io answered HTTP 418: token request to auth.r.io: unexpected response",
    );
    expect(registryErrorFromResponse(failed(429, "", "", 1500), target).message).toMatch(
      /too many requests; the registry asks to retry in 2 s$/,
    );
  });
});
