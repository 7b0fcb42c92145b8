import { describe, expect, it } from "vitest";

import { compareUrl } from "./compare-link";

describe("compareUrl", () => {
  it.each([
    [
      "https://github.com/molecule-ai/templates",
      "aaa",
      "bbb",
      "https://github.com/molecule-ai/templates/compare/aaa...bbb",
    ],
    [
      "https://github.com/molecule-ai/templates.git",
      "aaa",
      "bbb",
      "https://github.com/molecule-ai/templates/compare/aaa...bbb",
    ],
    [
      "https://github.com/molecule-ai/templates/tree/main/codex",
      "aaa",
      "bbb",
      "https://github.com/molecule-ai/templates/compare/aaa...bbb",
    ],
    [
      "git@github.com:molecule-ai/templates.git",
      "aaa",
      "bbb",
      "https://github.com/molecule-ai/templates/compare/aaa...bbb",
    ],
    ["https://gitlab.com/group/sub/project", "v1", "v2", "https://gitlab.com/group/sub/project/-/compare/v1...v2"],
    [
      "https://gitlab.example.com/group/project/-/tree/main",
      "v1",
      "v2",
      "https://gitlab.example.com/group/project/-/compare/v1...v2",
    ],
    ["http://github.com/a/b", "aaa", "bbb", null],
    ["https://bitbucket.org/a/b", "aaa", "bbb", null],
    ["https://user:pw@github.com/a/b", "aaa", "bbb", null],
    ["https://github.com/a", "aaa", "bbb", null],
    ["https://github.com/a/b", "aaa", "aaa", null],
    ["https://github.com/a/b", "aaa", null, null],
    ["https://github.com/a/b", "a a", "bbb", null],
    [null, "aaa", "bbb", null],
    ["javascript:alert(1)", "aaa", "bbb", null],
  ])("%j %j…%j → %j", (source, from, to, url) => {
    expect(compareUrl(source, from, to)).toBe(url);
  });
});
