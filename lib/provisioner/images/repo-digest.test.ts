import { describe, expect, it } from "vitest";

import { digestForReference, repositoryKey } from "./repo-digest";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;

describe("repositoryKey", () => {
  it.each([
    ["localhost:5000/ns/x:latest", "loopback:5000/ns/x"],
    ["127.0.0.1:5000/ns/x", "loopback:5000/ns/x"],
    ["[::1]:5000/ns/x", "loopback:5000/ns/x"],
    ["GHCR.io/molecule-ai/x@" + A, "ghcr.io/molecule-ai/x"],
    ["busybox", "docker.io/library/busybox"],
    ["index.docker.io/library/busybox:1", "docker.io/library/busybox"],
    ["sha256:" + "a".repeat(64), null],
  ])("%s → %s", (ref, key) => {
    expect(repositoryKey(ref)).toBe(key);
  });
});

describe("digestForReference", () => {
  it("matches the repository across loopback spellings (G10)", () => {
    expect(digestForReference("localhost:5000/ns/x:latest", [`127.0.0.1:5000/ns/x@${A}`])).toBe(A);
  });

  it("ignores other repositories and other ports", () => {
    expect(
      digestForReference("127.0.0.1:5000/ns/x:latest", [`127.0.0.1:5001/ns/x@${A}`, `127.0.0.1:5000/ns/y@${B}`]),
    ).toBeNull();
  });

  it("prefers the digest written in the reference when several are listed", () => {
    expect(
      digestForReference(`127.0.0.1:5000/ns/x@${B}`, [`127.0.0.1:5000/ns/x@${A}`, `127.0.0.1:5000/ns/x@${B}`]),
    ).toBe(B);
    expect(
      digestForReference("127.0.0.1:5000/ns/x:latest", [`127.0.0.1:5000/ns/x@${A}`, `127.0.0.1:5000/ns/x@${B}`]),
    ).toBe(A);
  });

  it("returns null for an unparsable reference or no RepoDigests", () => {
    expect(digestForReference("not a ref", [`x@${A}`])).toBeNull();
    expect(digestForReference("ghcr.io/a/b:1", [])).toBeNull();
  });
});
