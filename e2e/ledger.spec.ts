import { randomBytes } from "node:crypto";

import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";
import { startJourneyServer, type OwnServer } from "@/e2e/support/own-server";
import { buildAndPushTestImage, removeLocalImage, type PushedImage } from "@/test/images";

// Issue 17, in the browser: the tag watcher's failure shows on the template page; it finds each new :latest (every 2 s on this spec's own
// server) and the template page shows it with its OCI labels, config created, tag and size; the
// promote dialog previews from → to (compare link, cool-down of 1 h, stale after) and needs an
// override reason; a rollback quarantines the digest, which the dialog then refuses and the page
// lifts with a reason; a pinned digest deleted from the registry raises the pins and stale banners.
const TEMPLATE = "autogen";
const SOURCE = "https://github.com/molecule-ai/workspace-templates";
const suffix = randomBytes(3).toString("hex");
const namespace = `e2e-ledger-${suffix}`;
const REVISION_A = `a${"1".repeat(39)}`;
const REVISION_B = `b${"2".repeat(39)}`;
const pushed: PushedImage[] = [];
let server: OwnServer | null = null;
let context: BrowserContext | null = null;

async function pushLatest(marker: string, revision: string, version: string): Promise<PushedImage> {
  const labels = {
    "org.opencontainers.image.revision": revision,
    "org.opencontainers.image.source": SOURCE,
    "org.opencontainers.image.version": version,
    "org.opencontainers.image.created": "2026-11-30T09:00:00Z",
  };
  const image = await buildAndPushTestImage({
    repository: `${namespace}/workspace-template-${TEMPLATE}`,
    tag: "latest",
    marker: `${marker}-${suffix}`,
    registryHost: e2eEnv.registryHost,
    changes: Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
  });
  pushed.push(image);
  return image;
}

async function shot(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`ledger-${step}.png`), fullPage: true });
}

/** Reloads the template page until the watcher has put `digest` in the ledger with `state`. */
async function expectLedgerRow(page: Page, digest: string, state: string) {
  const row = page.locator(`[data-testid="digest-ledger-row"][data-digest="${digest}"]`);
  await expect(async () => {
    await page.goto(`/pins/${TEMPLATE}`);
    await expect(row).toHaveAttribute("data-state", state, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  return row;
}

async function openPromote(page: Page, digestOrTag: string, reason: string) {
  await page.goto("/pins");
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const form = page.getByTestId(`promote-form-${TEMPLATE}`);
  await form.getByLabel("Digest or tag").fill(digestOrTag);
  await form.getByLabel("Reason").fill(reason);
  await expect(form.getByTestId("promote-preview")).toBeVisible({ timeout: 30_000 });
  return form;
}

test.beforeAll(async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  server = await startJourneyServer(testInfo, namespace, {
    FLEETPIN_WATCH_INTERVAL: "2",
    FLEETPIN_MIN_DIGEST_AGE: "3600",
  });
  context = await browser.newContext({ baseURL: server.baseURL });
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await server?.stop();
  for (const image of pushed) await removeLocalImage(image.ref).catch(() => undefined);
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern; an empty one asks for none.
test("[LEDGER] the watcher finds each :latest, the preview compares, the cool-down needs a reason, a rollback quarantines, a deleted pin raises the banner", async ({}, testInfo) => {
  test.setTimeout(300_000);
  const page = await context!.newPage();
  await signIn(page, "operator");

  // Assert: with nothing pushed yet, the watcher's failure is on the template page, not thrown away
  await expect(async () => {
    await page.goto(`/pins/${TEMPLATE}`);
    await expect(page.getByTestId("watch-error")).toContainText('tag "latest" not found', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await shot(page, testInfo, "00-watch-error");

  // Arrange + act: A becomes :latest; the watcher records it as a candidate with its labels
  const imageA = await pushLatest("a", REVISION_A, "1.0.0");
  const rowA = await expectLedgerRow(page, imageA.digest, "candidate");
  // Assert: a clean pass clears the error (stored as the pass ends, after the new digest's metadata)
  await expect(async () => {
    await page.goto(`/pins/${TEMPLATE}`);
    await expect(page.getByTestId("watch-error")).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // Assert: the tag and since when, the config's created, the revision linked to its commit, version, size, platform
  await expect(rowA.getByTestId("digest-tag")).toContainText(":latest since");
  await expect(rowA.getByTestId("digest-created")).not.toHaveText("—");
  await expect(rowA.getByTestId("digest-revision").getByRole("link")).toHaveAttribute(
    "href",
    `${SOURCE}/commit/${REVISION_A}`,
  );
  await expect(rowA.getByTestId("digest-revision")).toContainText("v 1.0.0");
  await expect(rowA).toContainText(/\d+(\.\d+)? (B|kB|KB|KiB|MB|MiB)/);
  await expect(rowA).toContainText("linux/");
  await shot(page, testInfo, "01-candidate");

  // Act: promote :latest without an override, then with one
  const first = await openPromote(page, "latest", "first release");
  await expect(first.getByTestId("promote-preview-cool-down")).toContainText("not met");
  await expect(first.getByTestId("promote-preview-blocked")).toContainText("cool-down");
  await shot(page, testInfo, "02-preview-cool-down");
  await first.getByRole("button", { name: "Promote" }).click();
  await expect(first.getByTestId("promote-message")).toContainText(/cool-down/i);
  await first.getByLabel("Override the cool-down (optional)").fill("first pin of a new template");
  await first.getByRole("button", { name: "Promote" }).click();
  // Assert: A is pinned
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);

  // Arrange + act: B becomes :latest; A's tag moves on
  // Incompressible extra bytes, so B is bigger than A and the preview's size delta is positive.
  const imageB = await pushLatest(`b-${randomBytes(1500).toString("hex")}`, REVISION_B, "1.1.0");
  const rowB = await expectLedgerRow(page, imageB.digest, "candidate");
  await expect(rowB.getByTestId("digest-tag")).toContainText(":latest since");
  await expect(
    page.locator(`[data-testid="digest-ledger-row"][data-digest="${imageA.digest}"]`).getByTestId("digest-tag"),
  ).toContainText("moved on");
  await expect(page.locator(`[data-testid="digest-ledger-row"][data-digest="${imageA.digest}"]`)).toHaveAttribute(
    "data-state",
    "pinned",
  );

  // Assert: the preview compares A → B: revisions with a compare link, versions, size delta, cool-down, stale after
  const second = await openPromote(page, "latest", "second release");
  const preview = second.getByTestId("promote-preview");
  await expect(preview.locator(`[data-revision="${REVISION_A}"]`)).toHaveText(REVISION_A.slice(0, 12));
  await expect(preview.locator(`[data-revision="${REVISION_B}"]`)).toHaveText(REVISION_B.slice(0, 12));
  await expect(preview).toContainText("1.1.0");
  await expect(second.getByTestId("promote-compare-link")).toHaveAttribute(
    "href",
    `${SOURCE}/compare/${REVISION_A}...${REVISION_B}`,
  );
  await expect(preview).toContainText(/\(\+/);
  await expect(second.getByTestId("promote-preview-stale")).toContainText("0 of 0 live workspace");
  await shot(page, testInfo, "03-preview-a-to-b");
  await second.getByLabel("Override the cool-down (optional)").fill("the fix customers wait for");
  await second.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageB.digest);

  // Act: roll back from B
  await page.goto("/pins");
  await page.getByTestId(`rollback-${TEMPLATE}`).click();
  await page.getByTestId(`rollback-form-${TEMPLATE}`).getByLabel("Reason").fill("B breaks sign-in");
  await page.getByTestId(`rollback-submit-${TEMPLATE}`).click();
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);
  // Assert: B is quarantined with the rollback's reason; promoting it again is refused, saying why
  const quarantined = await expectLedgerRow(page, imageB.digest, "quarantined");
  await expect(quarantined.getByTestId("quarantine-reason")).toContainText("B breaks sign-in");
  await shot(page, testInfo, "04-quarantined");
  const again = await openPromote(page, imageB.digest, "try B again");
  await expect(again.getByTestId("promote-preview-blocked")).toContainText("quarantined");
  await again.getByLabel("Override the cool-down (optional)").fill("still in a hurry");
  await again.getByRole("button", { name: "Promote" }).click();
  await expect(again.getByTestId("promote-message")).toContainText(/quarantin/i);
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);

  // Act: lift the quarantine on the template page, with a reason
  await page.goto(`/pins/${TEMPLATE}`);
  const lift = page.locator(`[data-testid="digest-ledger-row"][data-digest="${imageB.digest}"]`);
  await lift.getByPlaceholder("Why is it safe again?").fill("sign-in fixed upstream, same image");
  await lift.getByTestId(`lift-quarantine-${imageB.digest}`).click();
  // Assert: B is no longer quarantined; the page says who lifted it and why
  await expect(lift).toHaveAttribute("data-state", "previous");
  await expect(lift).toContainText("quarantine lifted by");
  await expect(lift).toContainText("sign-in fixed upstream, same image");

  // Act: the pinned digest A disappears from the registry (its storage has delete enabled)
  const deleted = await fetch(
    `http://${e2eEnv.registryHost}/v2/${namespace}/workspace-template-${TEMPLATE}/manifests/${imageA.digest}`,
    { method: "DELETE" },
  );
  expect(deleted.status).toBe(202);
  // Assert: the next retention check raises the banner on the pins and stale pages
  for (const path of ["/pins", "/stale"]) {
    await expect(async () => {
      await page.goto(path);
      await expect(page.getByTestId("missing-digest")).toContainText(TEMPLATE, { timeout: 1_000 });
    }).toPass({ timeout: 60_000 });
  }
  await expect(page.getByTestId("missing-digests-banner")).toContainText("pin");
  await shot(page, testInfo, "05-missing-pin-banner");
});
