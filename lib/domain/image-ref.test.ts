import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { buildImageRef, imageRefNoise, validImageRefParts } from "@/test/image-ref-arbitraries";

import { FleetpinError } from "./errors";
import {
  canonicalImageRef,
  formatImageRef,
  type ImageRef,
  InvalidImageReferenceError,
  isValidDigest,
  parseImageRef,
  shortDigest,
  tryParseImageRef,
  withDigest,
} from "./image-ref";
import { imageTagIsMoving } from "./moving-tags";

const D = "sha256:3d6761a97ed07d7d33cfc19a8fbab81175d9d9179618d493dbc00c5f7ef076a3";
const OLD = `sha256:${"0".repeat(64)}`;

function ref(registry: string | undefined, repository: string, tag?: string, digest?: string): ImageRef {
  return { registry, repository, tag, digest };
}

describe("parseImageRef", () => {
  it.each<[string, ImageRef]>([
    ["nginx", ref(undefined, "nginx")],
    ["nginx:1.25", ref(undefined, "nginx", "1.25")],
    ["library/nginx", ref(undefined, "library/nginx")],
    ["foo/bar", ref(undefined, "foo/bar")],
    ["ghcr.io", ref(undefined, "ghcr.io")],
    ["docker.io/library/nginx:latest", ref("docker.io", "library/nginx", "latest")],
    [
      "ghcr.io/molecule-ai/workspace-template-hermes:latest",
      ref("ghcr.io", "molecule-ai/workspace-template-hermes", "latest"),
    ],
    ["localhost/foo", ref("localhost", "foo")],
    ["localhost:5000/foo", ref("localhost:5000", "foo")],
    ["localhost:5000/foo:0.8.2", ref("localhost:5000", "foo", "0.8.2")],
    ["myhost:5000/foo", ref("myhost:5000", "foo")],
    ["127.0.0.1:5000/a/b", ref("127.0.0.1:5000", "a/b")],
    ["[::1]:5000/x", ref("[::1]:5000", "x")],
    ["[::1]/x", ref("[::1]", "x")],
    ["[2001:db8::1]:443/team/app:v1", ref("[2001:db8::1]:443", "team/app", "v1")],
    ["Registry.Example.com:443/a/b/c/d:tag", ref("Registry.Example.com:443", "a/b/c/d", "tag")],
    ["foo_bar/baz__qux/a.b/c---d", ref(undefined, "foo_bar/baz__qux/a.b/c---d")],
    ["foo:V1_x-y.z", ref(undefined, "foo", "V1_x-y.z")],
    ["foo:_", ref(undefined, "foo", "_")],
    [`ghcr.io/x@${D}`, ref("ghcr.io", "x", undefined, D)],
    [`ghcr.io/x:latest@${D}`, ref("ghcr.io", "x", "latest", D)],
    [`localhost:5000/x:1.0@${D}`, ref("localhost:5000", "x", "1.0", D)],
    [`x@sha384:${"a".repeat(96)}`, ref(undefined, "x", undefined, `sha384:${"a".repeat(96)}`)],
    [`x@sha512:${"b".repeat(128)}`, ref(undefined, "x", undefined, `sha512:${"b".repeat(128)}`)],
    // Unregistered algorithms only need the grammar: letters-first components, 32+ hex of any case.
    [`x@foo.bar_baz+qux:${"A".repeat(32)}`, ref(undefined, "x", undefined, `foo.bar_baz+qux:${"A".repeat(32)}`)],
    [`x@constructor:${"a".repeat(32)}`, ref(undefined, "x", undefined, `constructor:${"a".repeat(32)}`)],
    [`x:${"t".repeat(128)}`, ref(undefined, "x", "t".repeat(128))],
    [`${"a".repeat(255)}`, ref(undefined, "a".repeat(255))],
  ])("parses %s", (input, expected) => {
    expect(parseImageRef(input)).toStrictEqual(expected);
    expect(formatImageRef(parseImageRef(input))).toBe(input);
  });

  it.each<[string, string]>([
    ["", "reference is empty"],
    ["Foo", "repository must be lowercase"],
    ["foo/Bar", "repository must be lowercase"],
    ["ghcr.io/Molecule-AI/x", "repository must be lowercase"],
    ["foo:", "tag is empty"],
    [":tag", "repository name is empty"],
    [`@${D}`, "repository name is empty"],
    ["foo@", "digest is empty"],
    ["foo@sha256:abc123def456", "not a valid sha256 digest"],
    [`foo@sha256:${"a".repeat(63)}`, "not a valid sha256 digest"],
    [`foo@sha256:${"A".repeat(64)}`, "not a valid sha256 digest"],
    [`foo@sha512:${"a".repeat(64)}`, "not a valid sha512 digest"],
    ["foo@md5:abc", "must be <algorithm>:<hex>"],
    [`foo@1abc:${"a".repeat(32)}`, "must be <algorithm>:<hex>"],
    [`foo@sha3-256:${"a".repeat(64)}`, "must be <algorithm>:<hex>"],
    [`foo@constructor:${"a".repeat(31)}`, "must be <algorithm>:<hex>"],
    ["foo@sha256", "must be <algorithm>:<hex>"],
    [`foo@:${"a".repeat(64)}`, "must be <algorithm>:<hex>"],
    [`foo@${D}@x`, "not a valid sha256 digest"],
    ["foo:bar:baz", 'invalid repository path component "foo:bar"'],
    ["foo:-bad", 'tag "-bad" must match'],
    ["foo:.bad", 'tag ".bad" must match'],
    ["foo:a+b", "must match"],
    [`foo:${"t".repeat(129)}`, "must match"],
    ["foo//bar", "empty path component"],
    ["/foo", "empty path component"],
    ["foo/", "empty path component"],
    ["ghcr.io/", "empty path component"],
    ["a..b", 'invalid repository path component "a..b"'],
    ["a___b", "invalid repository path component"],
    ["a-_b", "invalid repository path component"],
    ["a.-b", "invalid repository path component"],
    ["-a", "invalid repository path component"],
    ["a-", "invalid repository path component"],
    ["a_", "invalid repository path component"],
    [" nginx", "invalid repository path component"],
    ["nginx ", "invalid repository path component"],
    ["ngïnx", "invalid repository path component"],
    ["localhost:abc/foo", 'registry port in "localhost:abc" must be numeric'],
    ["localhost:/foo", "must be numeric"],
    ["local_host.com/foo", 'invalid registry host "local_host.com"'],
    ["-bad.com/foo", "invalid registry host"],
    ["bad-.com/foo", "invalid registry host"],
    ["a..com/foo", "invalid registry host"],
    [":5000/foo", "invalid registry host"],
    ["[::1/foo", "invalid registry host"],
    ["[zz::1]:5000/x", "invalid registry host"],
    ["[::1]:x/foo", "must be numeric"],
    ["f".repeat(64), "image ID"],
    ["a".repeat(256), "longer than 255"],
    [`ghcr.io/${"a".repeat(250)}`, "longer than 255"],
  ])("rejects %j (%s)", (input, reason) => {
    expect(() => parseImageRef(input)).toThrow(InvalidImageReferenceError);
    expect(() => parseImageRef(input)).toThrow(reason);
    expect(tryParseImageRef(input)).toBeNull();
  });

  it("throws a typed, operator-safe error", () => {
    let caught: unknown;
    try {
      parseImageRef("Foo");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidImageReferenceError);
    expect(caught).toBeInstanceOf(FleetpinError);
    expect(caught).toMatchObject({
      name: "InvalidImageReferenceError",
      code: "invalid_image_reference",
      reference: "Foo",
      reason: "repository must be lowercase",
      message: 'invalid image reference "Foo": repository must be lowercase',
    });
  });

  it("keeps error messages short for huge input", () => {
    const error = (() => {
      try {
        parseImageRef("X".repeat(100_000));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message.length).toBeLessThan(300);
  });

  it("does not backtrack catastrophically on near-miss components", () => {
    // The grammar's literal regex would take exponential time on these in a backtracking engine.
    expect(tryParseImageRef(`${"a-".repeat(120)}!`)).toBeNull();
    expect(tryParseImageRef(`${"a".repeat(60)}${"-a".repeat(60)}_`)).toBeNull();
    expect(tryParseImageRef(`x@${"a.".repeat(5000)}:${"0".repeat(31)}`)).toBeNull();
  });
});

describe("formatImageRef", () => {
  it.each<[Parameters<typeof formatImageRef>[0], string]>([
    [{ repository: "nginx" }, "nginx"],
    [{ registry: "localhost:5000", repository: "a/b", tag: "v1" }, "localhost:5000/a/b:v1"],
    [{ registry: "ghcr.io", repository: "x", tag: "latest", digest: D }, `ghcr.io/x:latest@${D}`],
    [{ registry: undefined, repository: "x", tag: undefined, digest: D }, `x@${D}`],
  ])("formats %j", (parts, expected) => {
    expect(formatImageRef(parts)).toBe(expected);
  });

  it.each<[Parameters<typeof formatImageRef>[0], string]>([
    [{ registry: "myhost", repository: "foo" }, 'registry "myhost" would be read as part of the repository'],
    [{ repository: "foo.com/bar" }, '"foo.com" would be read as a registry host'],
    [{ repository: "localhost/bar" }, '"localhost" would be read as a registry host'],
    [{ registry: "ghcr.io/org", repository: "x" }, 'must not contain "/"'],
    [{ registry: "", repository: "x" }, "empty path component"],
    [{ repository: "" }, "reference is empty"],
    [{ repository: "x", tag: "" }, "tag is empty"],
    [{ repository: "x", tag: "a/b" }, 'tag "a/b" must match'],
    [{ repository: "x", tag: "1@x" }, 'tag "1@x" must match'],
    [{ repository: "x", digest: "sha256:abc" }, "not a valid sha256 digest"],
  ])("refuses parts that would not parse back: %j", (parts, reason) => {
    expect(() => formatImageRef(parts)).toThrow(InvalidImageReferenceError);
    expect(() => formatImageRef(parts)).toThrow(reason);
  });
});

describe("canonicalImageRef", () => {
  it.each([
    ["nginx", "docker.io/library/nginx"],
    ["nginx:1.25", "docker.io/library/nginx:1.25"],
    ["library/nginx", "docker.io/library/nginx"],
    ["docker.io/nginx", "docker.io/library/nginx"],
    ["index.docker.io/nginx", "docker.io/library/nginx"],
    ["INDEX.DOCKER.IO/foo/bar:x", "docker.io/foo/bar:x"],
    ["Docker.IO/library/nginx", "docker.io/library/nginx"],
    ["bitnami/redis", "docker.io/bitnami/redis"],
    [`nginx@${D}`, `docker.io/library/nginx@${D}`],
    ["GHCR.IO/molecule-ai/x:latest", "ghcr.io/molecule-ai/x:latest"],
    ["ghcr.io/foo", "ghcr.io/foo"],
    ["localhost:5000/foo", "localhost:5000/foo"],
    ["[::1]:5000/x", "[::1]:5000/x"],
    ["[FE80::1]:5000/x", "[fe80::1]:5000/x"],
    [`ghcr.io/x:latest@${D}`, `ghcr.io/x:latest@${D}`],
  ])("%s → %s", (input, expected) => {
    expect(canonicalImageRef(input)).toBe(expected);
  });

  it("makes equivalent Docker Hub spellings compare equal", () => {
    const forms = [
      "nginx",
      "library/nginx",
      "docker.io/nginx",
      "docker.io/library/nginx",
      "index.docker.io/library/nginx",
    ];
    expect(new Set(forms.map(canonicalImageRef))).toEqual(new Set(["docker.io/library/nginx"]));
  });

  it("keeps the parsed form untouched", () => {
    expect(parseImageRef("nginx").registry).toBeUndefined();
  });

  it("rejects invalid references", () => {
    expect(() => canonicalImageRef("Nginx")).toThrow(InvalidImageReferenceError);
  });
});

describe("isValidDigest", () => {
  it.each<[unknown, boolean]>([
    [D, true],
    [OLD, true],
    ["sha256:abc123def456", false],
    [`sha256:${"a".repeat(63)}`, false],
    [`sha256:${"a".repeat(65)}`, false],
    [`sha256:${"A".repeat(64)}`, false],
    [`SHA256:${"a".repeat(64)}`, false],
    [`sha512:${"a".repeat(128)}`, false],
    [`${D}\n`, false],
    [` ${D}`, false],
    [`@${D}`, false],
    ["a".repeat(64), false],
    ["", false],
    [null, false],
    [undefined, false],
    [123, false],
  ])("%j → %s", (input, expected) => {
    expect(isValidDigest(input)).toBe(expected);
  });
});

describe("withDigest", () => {
  it.each([
    ["ghcr.io/molecule-ai/workspace-template-hermes:latest", `ghcr.io/molecule-ai/workspace-template-hermes@${D}`],
    [
      "localhost:5000/molecule-ai/workspace-template-hermes:latest",
      `localhost:5000/molecule-ai/workspace-template-hermes@${D}`,
    ],
    ["localhost:5000/x", `localhost:5000/x@${D}`],
    ["[::1]:5000/x:v1", `[::1]:5000/x@${D}`],
    [`ghcr.io/x:latest@${OLD}`, `ghcr.io/x@${D}`],
    [`ghcr.io/x@${OLD}`, `ghcr.io/x@${D}`],
    ["nginx", `nginx@${D}`],
  ])("%s → %s", (input, expected) => {
    expect(withDigest(input, D)).toBe(expected);
  });

  it.each(["sha256:abc", `sha256:${"A".repeat(64)}`, "", `sha512:${"a".repeat(128)}`, `${D} `])(
    "rejects digest %j",
    (digest) => {
      expect(() => withDigest("ghcr.io/x:latest", digest)).toThrow(InvalidImageReferenceError);
      expect(() => withDigest("ghcr.io/x:latest", digest)).toThrow("64 lowercase hex");
    },
  );

  it("rejects an invalid reference", () => {
    expect(() => withDigest("Ghcr.io/X:latest", D)).toThrow(InvalidImageReferenceError);
  });
});

describe("shortDigest", () => {
  it.each([
    ["sha256:abcdef0123456789", "sha256:abcdef012345"],
    ["sha256:short", "sha256:short"],
    ["", ""],
    ["no-colon-format", "no-colon-format"],
    ["sha256:0000000000000000abcd", "sha256:000000000000"],
    [D, "sha256:3d6761a97ed0"],
    ["sha256:abcdef012345", "sha256:abcdef012345"],
  ])("%j → %j", (input, expected) => {
    expect(shortDigest(input)).toBe(expected);
  });
});

// --- property tests -------------------------------------------------------------------------

describe("image reference properties", () => {
  it("round-trips every valid reference built from the grammar", () => {
    fc.assert(
      fc.property(validImageRefParts, (parts) => {
        const text = buildImageRef(parts);
        expect(formatImageRef(parseImageRef(text))).toBe(text);
        expect(parseImageRef(formatImageRef(parts))).toStrictEqual(parts);
      }),
      { numRuns: 1000 },
    );
  });

  it("canonicalization is idempotent on valid references", () => {
    fc.assert(
      fc.property(validImageRefParts, (parts) => {
        const once = canonicalImageRef(buildImageRef(parts));
        expect(canonicalImageRef(once)).toBe(once);
      }),
    );
  });

  it("never throws anything but InvalidImageReferenceError, and round-trips whatever it accepts", () => {
    fc.assert(
      fc.property(imageRefNoise, (text) => {
        const parsed = tryParseImageRef(text);
        if (parsed) expect(formatImageRef(parsed)).toBe(text);
        try {
          parseImageRef(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidImageReferenceError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("the string-based helpers never throw on arbitrary input", () => {
    fc.assert(
      fc.property(imageRefNoise, (text) => {
        expect(typeof imageTagIsMoving(text)).toBe("boolean");
        expect(typeof shortDigest(text)).toBe("string");
        expect(typeof isValidDigest(text)).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });
});
