// fast-check arbitraries for image references: valid ones built from the grammar, and noise shaped
// like references. Shared by the property tests of lib/domain/image-ref and of the image rules that
// take reference strings (lib/provisioner/images).
import fc from "fast-check";

import type { ImageRef } from "@/lib/domain/image-ref";

const lower = "abcdefghijklmnopqrstuvwxyz0123456789".split("");
const alnum = fc.constantFrom(...lower);
const alnumRun = fc.string({ unit: alnum, minLength: 1, maxLength: 6 });
const separator = fc.oneof(
  fc.constant("."),
  fc.constant("_"),
  fc.constant("__"),
  fc.integer({ min: 1, max: 3 }).map((n) => "-".repeat(n)),
);
const pathComponent = fc
  .tuple(alnumRun, fc.array(fc.tuple(separator, alnumRun), { maxLength: 3 }))
  .map(([head, tail]) => head + tail.map(([sep, run]) => sep + run).join(""));

const domainChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
const domainComponent = fc
  .tuple(
    fc.constantFrom(...domainChars),
    fc.option(
      fc.tuple(
        fc.string({ unit: fc.constantFrom(...domainChars, "-"), maxLength: 6 }),
        fc.constantFrom(...domainChars),
      ),
    ),
  )
  .map(([first, rest]) => (rest ? first + rest[0] + rest[1] : first));
const port = fc.integer({ min: 1, max: 65535 }).map(String);
const registry = fc
  .oneof(
    fc.tuple(fc.constant("localhost"), fc.option(port)),
    // A dotted host (IPv4 addresses included) is a registry with or without a port.
    fc.tuple(
      fc.array(domainComponent, { minLength: 2, maxLength: 3 }).map((parts) => parts.join(".")),
      fc.option(port),
    ),
    fc.tuple(fc.ipV4(), fc.option(port)),
    // A bare one-label host is only a registry when a port follows it.
    fc.tuple(domainComponent, port),
    fc.tuple(fc.constantFrom("[::1]", "[fe80::1]", "[2001:db8::42]"), fc.option(port)),
  )
  .map(([host, p]) => (p === null ? host : `${host}:${p}`));
const tagChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".split("");
const tag = fc
  .tuple(fc.constantFrom(...tagChars), fc.string({ unit: fc.constantFrom(...tagChars, ".", "-"), maxLength: 20 }))
  .map(([first, rest]) => first + rest);
const digest = fc
  .string({ unit: fc.constantFrom(..."0123456789abcdef".split("")), minLength: 64, maxLength: 64 })
  .map((hex) => `sha256:${hex}`);

/** Valid references as parts, built from the grammar (registry, path components, tag, digest). */
export const validImageRefParts = fc
  .record({
    registry: fc.option(registry, { nil: undefined }),
    components: fc.array(pathComponent, { minLength: 1, maxLength: 4 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  // Without a registry, a first component that looks like a host would be read as one.
  .filter(({ registry: r, components }) => {
    const first = components[0] ?? "";
    return r !== undefined || components.length === 1 || !(first.includes(".") || first === "localhost");
  })
  .map(({ registry: r, components, tag: t, digest: d }): ImageRef => ({
    registry: r,
    repository: components.join("/"),
    tag: t,
    digest: d,
  }));

/** The text of a reference's parts, spelled as written (no canonicalization). */
export function buildImageRef(parts: ImageRef): string {
  return `${parts.registry ? `${parts.registry}/` : ""}${parts.repository}${parts.tag ? `:${parts.tag}` : ""}${parts.digest ? `@${parts.digest}` : ""}`;
}

/** Arbitrary text, much of it close to a reference (a valid one with junk spliced in). */
export const imageRefNoise = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  // Reference-shaped noise reaches much deeper into the parser than random unicode does.
  fc.string({ unit: fc.constantFrom(..."abAB09:/@._-[]+ ".split("")), maxLength: 40 }),
  validImageRefParts
    .map(buildImageRef)
    .chain((text) =>
      fc
        .tuple(fc.nat({ max: text.length }), fc.string({ maxLength: 3 }))
        .map(([at, junk]) => text.slice(0, at) + junk + text.slice(at)),
    ),
);
