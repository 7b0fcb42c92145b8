import { describe, expect, it } from "vitest";

import { preferredSpelling } from "./import-spelling.mjs";

const ROOT = "/repo";
const FILE = "/repo/lib/provisioner/swap/health-gate.ts";

describe("preferredSpelling", () => {
  it.each([
    ["a sibling spelled ./", "./container-swap", null],
    ["a sibling spelled @/", "@/lib/provisioner/swap/container-swap", "./container-swap"],
    ["a sibling reached through its parent", "../swap/container-swap", "./container-swap"],
    ["another folder spelled @/", "@/lib/provisioner/docker/logs", null],
    ["another folder spelled ../", "../docker/logs", "@/lib/provisioner/docker/logs"],
    ["a sub-folder spelled ./", "./parts/step", "@/lib/provisioner/swap/parts/step"],
    ["a folder further up", "../../domain/errors", "@/lib/domain/errors"],
    ["a package", "dockerode", null],
    ["a scoped package", "@prisma/client", null],
    ["a Node built-in", "node:path", null],
    ["outside the repository (left alone)", "../../../../../etc/x", null],
  ])("%s", (_case, source, expected) => {
    expect(preferredSpelling(source, FILE, ROOT)).toBe(expected);
  });

  it("accepts a sibling stylesheet as ./name.css", () => {
    expect(preferredSpelling("./globals.css", "/repo/app/layout.tsx", ROOT)).toBeNull();
    expect(preferredSpelling("@/app/globals.css", "/repo/app/layout.tsx", ROOT)).toBe("./globals.css");
  });
});
