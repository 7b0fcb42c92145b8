import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { CONFIG_VARIABLES } from "./index";

/** The variable names in the first column of README's "## Configuration" table. */
function readmeVariables(): string[] {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^##+ /m)[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1]!));
}

describe("README's configuration table", () => {
  it("lists exactly the variables the config schema reads", () => {
    expect(readmeVariables().sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
