import { expect, test } from "@playwright/test";

import { signIn } from "@/e2e/support/auth";

const PAGES = [
  { path: "/pins", heading: "Pins" },
  { path: "/workspaces", heading: "Workspaces" },
  { path: "/stale", heading: "Stale fleet" },
  { path: "/audit", heading: "Audit log" },
];

test("[SMOKE] every page opens for a signed-in operator", async ({ page }, testInfo) => {
  await signIn(page, "operator");
  for (const { path, heading } of PAGES) {
    const response = await page.goto(path);
    expect(response?.status(), `${path} status`).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`smoke${path.replaceAll("/", "-")}.png`), fullPage: true });
  }
});
