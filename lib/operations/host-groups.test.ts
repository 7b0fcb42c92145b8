import { describe, expect, it } from "vitest";

import { DockerUnavailableError, ValidationError } from "@/lib/domain/errors";

import { groupByHost, hostErrorMessage, runGroups } from "./host-groups";

describe("groupByHost", () => {
  const hosts: Record<string, string> = { a: "eu", b: "us", c: "eu", d: "local" };
  const limits: Record<string, number> = { eu: 2, us: 8 };

  it.each([
    [
      4,
      [
        ["eu", ["a", "c"], 2],
        ["us", ["b"], 4],
        ["local", ["d", "x"], 4],
      ],
    ],
    [
      1,
      [
        ["eu", ["a", "c"], 1],
        ["us", ["b"], 1],
        ["local", ["d", "x"], 1],
      ],
    ],
  ])("operation concurrency %i", (operationLimit, expected) => {
    const groups = groupByHost(
      ["a", "b", "c", "d", "x"],
      (id) => hosts[id],
      operationLimit,
      (host) => limits[host],
    );
    expect(groups.map((g) => [g.host, g.items, g.limit])).toEqual(expected);
  });
});

describe("hostErrorMessage", () => {
  it.each([
    [
      new DockerUnavailableError("Docker is not reachable at unix:///x"),
      "Docker is not reachable at unix:///x",
      'Docker host "eu" is unreachable: Docker is not reachable at unix:///x',
    ],
    [
      new DockerUnavailableError('Docker host "eu" is not registered'),
      'Docker host "eu" is not registered',
      'Docker host "eu" is not registered',
    ],
    [new ValidationError("bad"), "bad", "bad"],
    [
      new Error("pulling failed", { cause: new DockerUnavailableError("gone") }),
      "pulling failed",
      'Docker host "eu" is unreachable: pulling failed',
    ],
  ])("%s", (error, message, expected) => {
    expect(hostErrorMessage("eu", error, message)).toBe(expected);
  });
});

describe("runGroups", () => {
  it("lets every group finish before rethrowing the first failure", async () => {
    const finished: string[] = [];
    const groups = groupByHost(
      ["a", "b"],
      (id) => id,
      1,
      () => 1,
    );
    await expect(
      runGroups(groups, async (group) => {
        if (group.host === "a") throw new Error("a broke");
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished.push(group.host);
      }),
    ).rejects.toThrow("a broke");
    expect(finished).toEqual(["b"]);
  });
});
