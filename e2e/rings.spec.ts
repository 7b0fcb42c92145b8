import { randomBytes } from "node:crypto";

import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

import { signIn } from "@/e2e/support/auth";
import { runsDigest, testDocker } from "@/e2e/support/docker";
import { e2eEnv } from "@/e2e/support/env";
import { startJourneyServer, type OwnServer } from "@/e2e/support/own-server";
import {
  containerIdOf,
  disableRings,
  fillRing,
  removeWorkspaces,
  startPlatformMadeWorkspace,
} from "@/e2e/support/rings";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";

// Issue 18, in the browser: set up rings, promote a good digest and watch it go canary → early →
// fleet, then promote an image whose container exits 3 s after start and watch the canary fail,
// roll back and quarantine the digest while early and fleet are never touched. Rings are global, so
// this spec runs a server of its own with its own database (nothing it enables reaches the other
// specs), owns the codex template and still turns rings off at the end. Its server's health gate
// settles after 1 s, so the bad container passes the reprovision and the ring's bake catches it.
const TEMPLATE = "codex";
const suffix = randomBytes(3).toString("hex");
const namespace = `e2e-rings-${suffix}`;
const docker = testDocker();
const workspaceIds: string[] = [];
let server: OwnServer | null = null;
let context: BrowserContext | null = null;
// The bad image's own command: up for 3 s, a last word on stderr, then exit 1 (the restart policy restarts it).
const EXITS_AFTER_3S = `CMD ["/bin/busybox","sh","-c","echo starting; /bin/busybox sleep 3; echo 'fatal: config missing' >&2; exit 1"]`;

function pushImage(tag: string, changes: string[] = []): Promise<PushedImage> {
  return buildAndPushTestImage({
    repository: `${namespace}/workspace-template-${TEMPLATE}`,
    tag: `${tag}-${suffix}`,
    marker: `${TEMPLATE}-${tag}-${suffix}`,
    registryHost: e2eEnv.registryHost,
    changes,
  });
}

async function shot(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`rings-${step}.png`), fullPage: true });
}

/** Promotes on the pins page and follows the notice's link to the rollout it started; returns its id. */
async function promoteToRollout(page: Page, digest: string, reason: string): Promise<string> {
  await page.goto("/pins");
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const form = page.getByTestId(`promote-form-${TEMPLATE}`);
  await form.getByLabel("Digest or tag").fill(digest);
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Promote" }).click();
  const link = page.getByTestId(`rollout-link-${TEMPLATE}`);
  await expect(link).toBeVisible();
  await link.click();
  await page.waitForURL(/\/rollouts\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

test.beforeAll(async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  server = await startJourneyServer(testInfo, namespace, {
    FLEETPIN_HEALTH_SETTLE_SECONDS: "1",
    FLEETPIN_STOP_TIMEOUT_SECONDS: "2",
  });
  context = await browser.newContext({ baseURL: server.baseURL });
});

test.afterAll(async ({ browser }) => {
  if (server) await disableRings(browser, server.baseURL).catch(() => undefined);
  await context?.close().catch(() => undefined);
  await server?.stop();
  await removeWorkspaces(docker, workspaceIds);
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern; an empty one asks for none.
test("[RINGS] set up rings, roll a good digest through canary → early → fleet, then watch a bad one roll back by itself", async ({}, testInfo) => {
  test.setTimeout(420_000);
  const page = await context!.newPage();

  // Arrange: three images of the template (A baseline, B good, C exits 3 s after start), three platform-made workspaces on A
  const [imageA, imageB, imageC] = await Promise.all([
    pushImage("a"),
    pushImage("b"),
    pushImage("c", [EXITS_AFTER_3S]),
  ]);
  for (let index = 0; index < 3; index++) {
    workspaceIds.push(await startPlatformMadeWorkspace(docker, TEMPLATE, imageA.digestRef));
  }
  const [canaryWs, earlyWs, fleetWs] = workspaceIds as [string, string, string];
  await signIn(page, "operator");
  await page.goto("/workspaces");
  await page.getByTestId("sync-from-docker").click();
  await page.waitForURL(/\/operations\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 60_000 });
  // Rings are still off: this promote moves the pin at once, the baseline every workspace runs.
  await page.goto("/pins");
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const baseline = page.getByTestId(`promote-form-${TEMPLATE}`);
  await baseline.getByLabel("Digest or tag").fill(imageA.digest);
  await baseline.getByLabel("Reason").fill("baseline A");
  await baseline.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);

  // Act: Settings → Rings: short bakes; early holds one workspace by id, canary is filled from the workspaces page
  await page.goto("/settings/rings");
  await expect(page.getByTestId("rings-enabled")).toHaveText("disabled");
  await page.getByLabel("Templates").fill(TEMPLATE);
  // Canary bakes 6 s: long enough for the page (refreshing every 2 s) to show its countdown, and to see the bad image fall over.
  await fillRing(page, 0, { bakeSeconds: "6", percent: "", labels: "molecule.ring=canary" });
  await fillRing(page, 1, { bakeSeconds: "2", percent: "", workspaceIds: earlyWs });
  await fillRing(page, 2, { bakeSeconds: "0" });
  await page.getByTestId("rings-save").click();
  // Assert
  await expect(page.getByTestId("rings-message")).toContainText("Rings saved");
  await expect(page.getByTestId("rings-enabled")).toHaveText("enabled");
  await expect(page.getByTestId("rings-card")).toContainText(`Enabled for ${TEMPLATE}`);
  await shot(page, testInfo, "01-settings");

  // Act: bulk "Add to ring" on the workspaces page puts the first workspace in canary
  await page.goto(`/workspaces?template=${TEMPLATE}`);
  await page.getByTestId(`select-workspace-${canaryWs}`).check();
  await page.getByTestId("add-to-ring-form").getByLabel("Ring").selectOption("canary");
  await page.getByTestId("add-to-ring").click();
  await expect(page.getByTestId("add-to-ring-message")).toContainText("1 workspace(s) updated");
  // Assert: the ring column
  await page.reload();
  for (const [id, ring] of [
    [canaryWs, "canary"],
    [earlyWs, "early"],
    [fleetWs, "fleet"],
  ] as const) {
    await expect(page.getByTestId(`workspace-row-${id}`).getByTestId("workspace-ring")).toHaveText(ring);
  }
  await shot(page, testInfo, "02-workspaces-rings");

  // Act: promote B: a rollout starts instead of the pin moving
  const good = await promoteToRollout(page, imageB.digest, "roll out B through the rings");
  // Assert: canary reprovisions and bakes with a countdown, then the rollout goes through to succeeded
  await expect(page.getByTestId("timeline-ring-canary")).toHaveAttribute("data-status", /reprovisioning|baking/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId("bake-countdown-canary")).toBeVisible({ timeout: 60_000 });
  await shot(page, testInfo, "03-canary-baking");
  await expect(page.getByTestId("rollout-page")).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  for (const ring of ["canary", "early", "fleet"]) {
    await expect(page.getByTestId(`timeline-ring-${ring}`)).toHaveAttribute("data-status", "passed");
  }
  await expect(page.getByTestId("gate-canary")).toHaveAttribute("data-ok", "true");
  await shot(page, testInfo, "04-good-succeeded");
  for (const id of workspaceIds) expect(await runsDigest(docker, id, imageB.digest), id).toBe(true);
  await page.goto("/pins");
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageB.digest);
  expect(good).toMatch(/^[0-9a-f-]{36}$/);

  // Act: promote C, whose container exits 3 s after it starts
  const untouched = { early: await containerIdOf(docker, earlyWs), fleet: await containerIdOf(docker, fleetWs) };
  const bad = await promoteToRollout(page, imageC.digest, "roll out C (broken)");
  // Assert: the canary fails, the rollout rolls back by itself, says why, and shows the failing workspace's logs
  await expect(page.getByTestId("rollout-page")).toHaveAttribute("data-status", "rolled_back", { timeout: 180_000 });
  await expect(page.getByTestId("timeline-ring-canary")).toHaveAttribute("data-status", /failed|rolled_back/);
  await expect(page.getByTestId("timeline-ring-early")).toHaveAttribute("data-status", /pending|skipped/);
  await expect(page.getByTestId("rollout-status-reason")).toBeVisible();
  await expect(page.getByTestId("gate-canary")).toHaveAttribute("data-ok", "false");
  await expect(page.getByTestId("last-log-lines").first()).toContainText("fatal: config missing");
  await shot(page, testInfo, "05-bad-rolled-back");
  // Assert, against Docker: canary back on B, early and fleet never touched, the pin never moved
  await expect.poll(() => runsDigest(docker, canaryWs, imageB.digest), { timeout: 60_000 }).toBe(true);
  expect(await containerIdOf(docker, earlyWs)).toBe(untouched.early);
  expect(await containerIdOf(docker, fleetWs)).toBe(untouched.fleet);
  await page.goto("/pins");
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageB.digest);
  // Assert: C is quarantined: promoting it again is refused, and the rollouts list shows both
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const again = page.getByTestId(`promote-form-${TEMPLATE}`);
  await again.getByLabel("Digest or tag").fill(imageC.digest);
  await again.getByLabel("Reason").fill("try C again");
  await again.getByRole("button", { name: "Promote" }).click();
  await expect(again.getByTestId("promote-preview-blocked")).toContainText("quarantined");
  await expect(again.getByTestId("promote-message")).toContainText(/quarantin/i);
  await shot(page, testInfo, "06-quarantined-refused");
  await page.keyboard.press("Escape");
  await page.goto(`/rollouts?template=${TEMPLATE}`);
  await expect(page.getByTestId(`rollout-row-${bad}`)).toHaveAttribute("data-status", "rolled_back");
  await expect(page.getByTestId(`rollout-row-${good}`)).toHaveAttribute("data-status", "succeeded");
  await shot(page, testInfo, "07-rollouts-list");
  // Assert: the rolled-back rollout's page marks C quarantined too
  await page.goto(`/rollouts/${bad}`);
  await expect(page.getByTestId("rollout-to-quarantined")).toBeVisible();
});
