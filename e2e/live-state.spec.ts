import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

import { expect, test, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import Docker from "dockerode";

import { signIn } from "@/e2e/support/auth";
import { e2eEnv } from "@/e2e/support/env";
import { queryOwnDatabase, startJourneyServer, type OwnServer } from "@/e2e/support/own-server";
import { buildAndPushTestImage, removeLocalImage, type PushedImage } from "@/test/images";
import { platformCreateRequest } from "@/test/platform-create-request";
import { startPrivateDockerd, type PrivateDockerd } from "@/test/private-dockerd";

// Issue #12: a container killed behind Fleetpin's back shows as `down` within seconds, without a
// Sync. The shared e2e server runs without live state (it shares the test dockerd with every other
// test's containers), so this journey runs a server of its own on a dockerd of its own.
const TEMPLATE = "langgraph";
const suffix = randomBytes(3).toString("hex");
const namespace = `e2e-live-${suffix}`;
const run = promisify(execFile);

let dockerd: PrivateDockerd | null = null;
let server: OwnServer | null = null;
let context: BrowserContext | null = null;
let image: PushedImage | null = null;

/** The docker CLI on the private dockerd, never the shared one. */
async function privateDocker(args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { env: { ...process.env, DOCKER_HOST: dockerd!.host } });
  return stdout.trim();
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Reloads /workspaces and reads the row's status badge (null while the row is not there). */
async function statusOnPage(page: Page, workspaceId: string): Promise<string | null> {
  await page.goto("/workspaces");
  const badge = page.getByTestId(`workspace-row-${workspaceId}`).getByTestId("workspace-status");
  return (await badge.count()) === 0 ? null : ((await badge.textContent())?.trim() ?? null);
}

async function syncOperations(): Promise<number> {
  return Number(await queryOwnDatabase(server!.databaseUrl, `SELECT count(*) FROM operations WHERE kind = 'sync'`));
}

test.beforeAll(async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  // Arrange: an image of the template in the test registry (built on the shared dockerd, as every
  // spec does), then a dockerd and a server of this spec's own, the server following Docker's events.
  image = await buildAndPushTestImage({
    repository: `${namespace}/workspace-template-${TEMPLATE}`,
    tag: `v1-${suffix}`,
    marker: `live-state-${suffix}`,
    registryHost: e2eEnv.registryHost,
  });
  await removeLocalImage(image.ref);
  dockerd = await startPrivateDockerd();
  server = await startJourneyServer(testInfo, namespace, {
    DOCKER_HOST: dockerd.host,
    FLEETPIN_LIVE_STATE: "1",
    // Only Docker's events, not the periodic reconcile, can explain an update within the journey's wait.
    FLEETPIN_RECONCILE_INTERVAL_SECONDS: "60",
    // The repair pass would start the killed container again (product behaviour); this journey is about seeing it down.
    FLEETPIN_REPAIR_START_STOPPED: "0",
  });
  context = await browser.newContext({ baseURL: server.baseURL });
});

test.afterAll(async () => {
  await context?.close().catch(() => undefined);
  await server?.stop();
  await dockerd?.destroy();
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern; an empty one asks for none.
test("[LIVE STATE] a platform container appears online without a Sync; killed behind Fleetpin's back it shows down within seconds", async ({}, testInfo) => {
  test.setTimeout(240_000);
  const page = await context!.newPage();

  // Arrange: a workspace container made the platform's way on the private dockerd, while the server runs
  await privateDocker(["pull", image!.ref]);
  const docker = new Docker({ socketPath: dockerd!.host.slice("unix://".length) });
  const { NCPU } = (await docker.info()) as { NCPU: number };
  const request = platformCreateRequest({ image: image!.ref, runtime: TEMPLATE, tier: 2, maxNanoCpus: NCPU * 1e9 });
  // The platform's network needs a bridge; test dockerds run with --bridge=none, so network "none" (no ports to publish there).
  const { NetworkingConfig: _network, ...body } = request.body;
  const { PortBindings: _ports, ...hostConfig } = body.HostConfig;
  for (const volume of request.volumes) await docker.createVolume({ Name: volume.name, Labels: volume.labels });
  const container = await docker.createContainer({
    name: request.name,
    ...body,
    HostConfig: { ...hostConfig, NetworkMode: "none" },
  } as Docker.ContainerCreateOptions);
  await container.start();
  const workspaceId = request.workspaceId;

  // Act: sign in and watch /workspaces, clicking nothing
  await signIn(page, "operator");
  // Assert: live state adopted it as online, and nobody asked for a sync
  await expect.poll(() => statusOnPage(page, workspaceId), { timeout: 60_000, intervals: [1_000] }).toBe("online");
  const row = page.getByTestId(`workspace-row-${workspaceId}`);
  await expect(row).toContainText(request.name);
  await expect(row).toContainText(TEMPLATE);
  await shot(page, testInfo, "01-adopted-online");
  expect(await syncOperations()).toBe(0);
  await page.goto("/stale");
  await expect(page.getByTestId("recent-operations")).toContainText("No operations yet.");

  // Arrange: pin the template to the image it runs, so /stale lists it
  await page.goto("/pins");
  await page.getByTestId(`promote-${TEMPLATE}`).click();
  const form = page.getByTestId(`promote-form-${TEMPLATE}`);
  await form.getByLabel("Digest or tag").fill(image!.digest);
  await form.getByLabel("Reason").fill("live-state journey");
  await form.getByRole("button", { name: "Promote" }).click();
  await expect(page.getByTestId(`pin-row-${TEMPLATE}`)).toHaveAttribute("data-digest", image!.digest);
  await page.goto("/stale");
  await expect(page.getByTestId(`stale-summary-down-${TEMPLATE}`)).toHaveText("0");

  // Act: kill the container behind Fleetpin's back
  await privateDocker(["kill", request.name]);
  const killedAt = Date.now();

  // Assert: the row turns down without a Sync (reload until it does), and /stale counts it
  await expect.poll(() => statusOnPage(page, workspaceId), { timeout: 60_000, intervals: [1_000] }).toBe("down");
  // Reported, not asserted (no wall-clock assertions): how long the page took to say so, reloads included.
  testInfo.annotations.push({
    type: "kill to down on the page",
    description: `${((Date.now() - killedAt) / 1000).toFixed(1)} s`,
  });
  await shot(page, testInfo, "02-killed-down");
  expect(await privateDocker(["inspect", "--format", "{{.State.Running}}", request.name])).toBe("false");
  expect(await syncOperations()).toBe(0);
  const liveStateAudit = await queryOwnDatabase(
    server!.databaseUrl,
    `SELECT count(*) FROM audit_log WHERE actor = 'system:live-state' AND target_id = '${workspaceId}' AND after::text LIKE '%"down"%'`,
  );
  expect(Number(liveStateAudit)).toBeGreaterThanOrEqual(1);
  await page.goto("/stale");
  await expect(page.getByTestId(`stale-summary-down-${TEMPLATE}`)).toHaveText("1");
  await expect(page.getByTestId("recent-operations")).toContainText("No operations yet.");
  await shot(page, testInfo, "03-stale-down-count");
});
