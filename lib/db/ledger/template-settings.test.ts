import { describe, expect, it } from "vitest";

import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import { setTemplateSettings, templateSettings } from "./template-settings";

describe.each(availableBackends())("template settings on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["template_settings", "audit_log"] });

  it("sets, clears and audits a template's overrides", async () => {
    expect(await templateSettings(db(), "codex")).toEqual({ minDigestAgeSeconds: null, watchedTags: null });
    await setTemplateSettings(
      db(),
      "codex",
      { minDigestAgeSeconds: 3600, watchedTags: ["latest", "stable"] },
      "ops@example.com",
      "slow down releases",
    );
    expect(await templateSettings(db(), "codex")).toEqual({
      minDigestAgeSeconds: 3600,
      watchedTags: ["latest", "stable"],
    });
    await setTemplateSettings(db(), "codex", { minDigestAgeSeconds: null, watchedTags: null }, "ops@example.com");
    expect(await templateSettings(db(), "codex")).toEqual({ minDigestAgeSeconds: null, watchedTags: null });
    const audit = await db().auditLog.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((row) => [row.action, row.reason])).toEqual([
      ["template.settings", "slow down releases"],
      ["template.settings", null],
    ]);
    expect(audit[1]!.before).toEqual({ minDigestAgeSeconds: 3600, watchedTags: ["latest", "stable"] });
  });
});
