import { randomBytes } from "node:crypto";

import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";

import { signIn } from "@/e2e/support/auth";
import { runsDigest, testDocker } from "@/e2e/support/docker";
import { e2eEnv } from "@/e2e/support/env";
import { startPlatformWorkspace } from "@/e2e/support/fleet";
import { buildAndPushTestImage, type PushedImage } from "@/test/images";

// Each journey owns one template, so journeys never see each other's pins or workspaces.
const JOURNEY_TEMPLATE = "crewai";
const CONFLICT_TEMPLATE = "hermes";
const suffix = randomBytes(3).toString("hex");
const docker = testDocker();
const workspaceIds: string[] = [];

function pushImage(template: string, tag: string): Promise<PushedImage> {
  return buildAndPushTestImage({
    repository: e2eEnv.templateRepository(template),
    tag: `${tag}-${suffix}`,
    marker: `${template}-${tag}-${suffix}`,
    registryHost: e2eEnv.registryHost,
  });
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

async function promote(page: Page, template: string, digestOrTag: string, reason: string): Promise<Locator> {
  await page.getByTestId(`promote-${template}`).click();
  const form = page.getByTestId(`promote-form-${template}`);
  await form.getByLabel("Digest or tag").fill(digestOrTag);
  await form.getByLabel("Reason").fill(reason);
  await form.getByRole("button", { name: "Promote" }).click();
  return form;
}

async function expectEveryWorkspace(page: Page, staleness: string): Promise<void> {
  await page.goto(`/workspaces?template=${JOURNEY_TEMPLATE}`);
  for (const id of workspaceIds) {
    await expect(page.getByTestId(`workspace-row-${id}`)).toHaveAttribute("data-staleness", staleness);
  }
}

test.afterAll(async () => {
  for (const id of workspaceIds) {
    const filters = JSON.stringify({ label: [`molecule.workspace.id=${id}`] });
    for (const container of await docker.listContainers({ all: true, filters })) {
      await docker
        .getContainer(container.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    const { Volumes } = await docker.listVolumes({ filters });
    for (const volume of Volumes ?? [])
      await docker
        .getVolume(volume.Name)
        .remove()
        .catch(() => undefined);
  }
});

test("[DASHBOARD] promote B over A, reprovision one, bulk-reprovision the rest, roll back — checked against Docker and the audit log", async ({
  page,
}, testInfo) => {
  test.setTimeout(360_000);

  // Arrange: two images of one template in the registry, three platform workspaces on A
  const [imageA, imageB] = await Promise.all([pushImage(JOURNEY_TEMPLATE, "a"), pushImage(JOURNEY_TEMPLATE, "b")]);
  for (let index = 0; index < 3; index++) {
    const { id } = await startPlatformWorkspace(docker, { template: JOURNEY_TEMPLATE, image: imageA.digestRef });
    workspaceIds.push(id);
  }
  const [first, ...rest] = workspaceIds as [string, ...string[]];
  await signIn(page, "operator");

  // Act: adopt the containers with Sync from Docker
  await page.goto("/workspaces");
  await page.getByTestId("sync-from-docker").click();
  await page.waitForURL(/\/operations\/[0-9a-f-]{36}$/);
  // Assert
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expectEveryWorkspace(page, "unpinned");

  // Act: promoting a digest the registry does not have is refused
  await page.goto("/pins");
  const missing = `sha256:${randomBytes(32).toString("hex")}`;
  const refused = await promote(page, JOURNEY_TEMPLATE, missing, "should be refused");
  // Assert
  await expect(refused.getByRole("alert")).toContainText(`${missing} does not exist`);
  await shot(page, testInfo, "01-promote-refused");
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`)).toHaveAttribute("data-digest", "");
  await page.keyboard.press("Escape");

  // Act: pin A by picking its tag, then promote B by digest
  await page.getByTestId(`promote-${JOURNEY_TEMPLATE}`).click();
  const tagForm = page.getByTestId(`promote-form-${JOURNEY_TEMPLATE}`);
  await tagForm.getByRole("button", { name: imageA.tag, exact: true }).click();
  await tagForm.getByLabel("Reason").fill("baseline A");
  await tagForm.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);
  await expectEveryWorkspace(page, "on_pin");
  await page.goto("/pins");
  await promote(page, JOURNEY_TEMPLATE, imageB.digest, "roll out B");
  // Assert: the pin moved and every workspace is now stale
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`)).toHaveAttribute("data-digest", imageB.digest);
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`).getByTestId("stale-count")).toHaveText("3 stale");
  await shot(page, testInfo, "02-pins-after-promote");
  await expectEveryWorkspace(page, "stale");
  await shot(page, testInfo, "03-workspaces-stale");

  // Act: reprovision one workspace: the confirm dialog names it and previews A → B before anything restarts
  const row = page.getByTestId(`workspace-row-${first}`);
  const name = (await row.getByRole("cell").first().locator("div").first().innerText()).trim();
  await row.getByTestId(`reprovision-${first}`).click();
  const confirm = page.getByTestId(`reprovision-${first}-dialog`);
  await expect(confirm.getByRole("heading", { level: 2 })).toContainText(name);
  await expect(confirm.getByTestId("preview-current-digest")).toHaveAttribute("data-digest", imageA.digest);
  await expect(confirm.getByTestId("preview-target-digest")).toHaveAttribute("data-digest", imageB.digest);
  await expect(confirm.getByTestId("reprovision-preview")).toContainText("Nothing else changes");
  await shot(page, testInfo, "04a-reprovision-confirm");
  expect(await runsDigest(docker, first, imageA.digest), "the preview restarted nothing").toBe(true);
  await confirm.getByLabel("Reason (optional)").fill("one-click check of B");
  await confirm.getByTestId(`reprovision-${first}-confirm`).click();
  // Assert: the row follows the operation to success, and Docker runs B
  await expect(row.getByTestId("operation-status")).toHaveText("succeeded", { timeout: 90_000 });
  expect(await runsDigest(docker, first, imageB.digest)).toBe(true);
  await expect(page.getByTestId(`workspace-row-${first}`)).toHaveAttribute("data-staleness", "on_pin");
  await shot(page, testInfo, "04-reprovisioned-one");

  // Act: bulk-reprovision the remaining stale workspaces of the template
  await page.goto("/stale");
  await expect(page.getByTestId(`stale-summary-${JOURNEY_TEMPLATE}`)).toHaveAttribute(
    "data-stale",
    String(rest.length),
  );
  await shot(page, testInfo, "05-stale-fleet");
  await page.getByTestId(`reprovision-stale-${JOURNEY_TEMPLATE}`).click();
  // The dialog says how many change, what they run now and the target
  await expect(page.getByTestId("bulk-reprovision-preview")).toHaveAttribute("data-total", String(rest.length));
  await expect(page.getByTestId(`bulk-preview-${JOURNEY_TEMPLATE}`)).toContainText(`× ${rest.length}`);
  await expect(page.getByTestId(`bulk-preview-target-${JOURNEY_TEMPLATE}`)).toHaveAttribute(
    "data-digest",
    imageB.digest,
  );
  await page.getByLabel("Reason (optional)").fill("bulk roll-out of B");
  await page.getByTestId(`reprovision-stale-${JOURNEY_TEMPLATE}-confirm`).click();
  await page.waitForURL(/\/operations\/[0-9a-f-]{36}$/);
  // Assert: the progress bar reaches 100 %, every item succeeded, Docker runs B everywhere
  await expect(page.getByTestId("operation-progress")).toHaveAttribute("aria-valuenow", "100", { timeout: 120_000 });
  await expect(page.getByTestId("operation-status")).toHaveText("succeeded");
  for (const id of rest)
    await expect(page.getByTestId(`operation-item-${id}`)).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("operation-failures")).toHaveCount(0);
  await shot(page, testInfo, "06-bulk-operation-done");
  for (const id of workspaceIds) expect(await runsDigest(docker, id, imageB.digest), `${id} runs B`).toBe(true);
  await expectEveryWorkspace(page, "on_pin");

  // Act: roll back to A
  await page.goto("/pins");
  await page.getByTestId(`rollback-${JOURNEY_TEMPLATE}`).click();
  await page.getByTestId(`rollback-form-${JOURNEY_TEMPLATE}`).getByLabel("Reason").fill("B misbehaves");
  await page.getByTestId(`rollback-submit-${JOURNEY_TEMPLATE}`).click();
  // Assert: the pin is A again; the containers still run B (rollback changes the pin, not Docker), so they are stale
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`)).toHaveAttribute("data-digest", imageA.digest);
  await shot(page, testInfo, "07-pins-after-rollback");
  for (const id of workspaceIds) expect(await runsDigest(docker, id, imageB.digest)).toBe(true);
  await expectEveryWorkspace(page, "stale");

  // Assert: every step is in the audit log, with actor and reason
  await page.goto(`/audit?template=${JOURNEY_TEMPLATE}`);
  const rows = page.getByTestId("audit-row");
  await expect(rows.and(page.locator('[data-action="pin.rollback"]'))).toHaveCount(1);
  await expect(rows.and(page.locator('[data-action="pin.promote"]'))).toHaveCount(2);
  await expect(rows.and(page.locator('[data-action="workspace.reprovision"]'))).toHaveCount(3);
  await expect(rows.and(page.locator('[data-action="operation.reprovision_requested"]'))).toHaveCount(2);
  // The rollback quarantines B by default (the ledger issue), so its reason is on two rows.
  for (const action of ["pin.rollback", "digest.quarantine"]) {
    await expect(rows.and(page.locator(`[data-action="${action}"]`)).filter({ hasText: "B misbehaves" })).toContainText(
      e2eEnv.account("operator").email,
    );
  }
  await expect(rows.filter({ hasText: "roll out B" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "one-click check of B" }).first()).toBeVisible();
  await shot(page, testInfo, "08-audit-log");
});

test("[PINS] a promote form that went stale meanwhile gets a conflict, not a lost update", async ({
  browser,
}, testInfo) => {
  // Arrange: two operators with the promote dialog of the same unpinned template open
  const [imageC, imageD] = await Promise.all([pushImage(CONFLICT_TEMPLATE, "c"), pushImage(CONFLICT_TEMPLATE, "d")]);
  const [alice, bob] = await Promise.all([browser.newPage(), browser.newPage()]);
  for (const page of [alice, bob]) {
    await signIn(page, "operator");
    await page.goto("/pins");
    await page.getByTestId(`promote-${CONFLICT_TEMPLATE}`).click();
  }

  // Act: the first promote wins, the second was made against the old state
  const aliceForm = alice.getByTestId(`promote-form-${CONFLICT_TEMPLATE}`);
  await aliceForm.getByLabel("Digest or tag").fill(imageC.digest);
  await aliceForm.getByLabel("Reason").fill("alice ships C");
  await aliceForm.getByRole("button", { name: "Promote" }).click();
  await expect(alice.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toHaveAttribute("data-digest", imageC.digest);
  const bobForm = bob.getByTestId(`promote-form-${CONFLICT_TEMPLATE}`);
  await bobForm.getByLabel("Digest or tag").fill(imageD.digest);
  await bobForm.getByLabel("Reason").fill("bob ships D");
  await bobForm.getByRole("button", { name: "Promote" }).click();

  // Assert: bob sees the conflict naming what is pinned now, keeps his input, and C stays pinned
  await expect(bobForm.getByRole("alert")).toContainText(imageC.digest.slice(0, 19));
  await expect(bobForm.getByLabel("Reason")).toHaveValue("bob ships D");
  await expect(bob.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toHaveAttribute("data-digest", imageC.digest);
  await shot(bob, testInfo, "conflict");

  // Act: having seen C, bob submits again on purpose
  await bobForm.getByRole("button", { name: "Promote" }).click();
  // Assert
  await expect(bob.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toHaveAttribute("data-digest", imageD.digest);

  // Act: alice, still looking at C, unpins: refused too; after the refresh she unpins D knowingly
  await alice.getByTestId(`unpin-${CONFLICT_TEMPLATE}`).click();
  const unpinForm = alice.getByTestId(`unpin-form-${CONFLICT_TEMPLATE}`);
  await unpinForm.getByLabel("Reason").fill("back to :latest");
  await unpinForm.getByRole("button", { name: "Unpin" }).click();
  await expect(unpinForm.getByRole("alert")).toContainText(imageD.digest.slice(0, 19));
  await expect(alice.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toHaveAttribute("data-digest", imageD.digest);
  await unpinForm.getByRole("button", { name: "Unpin" }).click();
  // Assert
  await expect(alice.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toHaveAttribute("data-digest", "");
  await expect(alice.getByTestId(`pin-row-${CONFLICT_TEMPLATE}`)).toContainText("unpinned — follows :latest");
  await Promise.all([alice.close(), bob.close()]);
});

test("[DASHBOARD] a viewer sees the fleet but no button that changes it", async ({ page }) => {
  // Arrange
  await signIn(page, "viewer");

  // Act + Assert
  await page.goto("/pins");
  await expect(page.getByTestId(`pin-row-${JOURNEY_TEMPLATE}`)).toBeVisible();
  await expect(
    page.locator('[data-testid^="promote-"], [data-testid^="rollback-"], [data-testid^="unpin-"]'),
  ).toHaveCount(0);
  await page.goto("/workspaces");
  await expect(page.getByTestId("workspace-table")).toBeVisible();
  await expect(page.locator('[data-testid^="reprovision-"], [data-testid="sync-from-docker"]')).toHaveCount(0);
  await page.goto("/stale");
  await expect(page.getByTestId("stale-summary")).toBeVisible();
  await expect(page.locator('[data-testid^="reprovision-"]')).toHaveCount(0);
});
