// Helpers of the rings journey (e2e/rings.spec.ts): platform-made workspaces on the shared test dockerd,
// the Settings → Rings editor, and switching rings off again so later specs promote directly.
import { expect, type Browser, type Page } from "@playwright/test";
import type Docker from "dockerode";

import { platformCreateRequest } from "@/test/platform-create-request";

import { signIn } from "./auth";

/** A workspace container made the platform's way (its create request), on network "none" (no bridge here). */
export async function startPlatformMadeWorkspace(docker: Docker, template: string, image: string): Promise<string> {
  const { NCPU } = (await docker.info()) as { NCPU: number };
  const request = platformCreateRequest({ image, runtime: template, tier: 2, maxNanoCpus: NCPU * 1e9 });
  // Test dockerds run with --bridge=none: no platform network, no published ports.
  const { NetworkingConfig: _network, ...body } = request.body;
  const { PortBindings: _ports, ...hostConfig } = body.HostConfig;
  await docker
    .getImage(image)
    .inspect()
    .catch(async () => {
      // Not in the engine's cache under this reference: pull it as the platform would.
      const stream = await docker.pull(image);
      await new Promise((resolve, reject) =>
        docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(null))),
      );
    });
  for (const volume of request.volumes) await docker.createVolume({ Name: volume.name, Labels: volume.labels });
  const container = await docker.createContainer({
    name: request.name,
    ...body,
    HostConfig: { ...hostConfig, NetworkMode: "none" },
  } as Docker.ContainerCreateOptions);
  await container.start();
  return request.workspaceId;
}

/** The container id Docker has for the workspace now (a reprovision replaces it). */
export async function containerIdOf(docker: Docker, workspaceId: string): Promise<string> {
  return (await docker.getContainer(`ws-${workspaceId.slice(0, 12)}`).inspect()).Id;
}

/** Removes each workspace's container (by its seed name) and every volume named after the workspace. */
export async function removeWorkspaces(docker: Docker, workspaceIds: string[]): Promise<void> {
  for (const id of workspaceIds) {
    await docker
      .getContainer(`ws-${id.slice(0, 12)}`)
      .remove({ force: true })
      .catch(() => undefined);
    const { Volumes } = await docker.listVolumes();
    for (const volume of (Volumes ?? []).filter((v) => v.Name.includes(id)))
      await docker
        .getVolume(volume.Name)
        .remove()
        .catch(() => undefined);
  }
}

/** Fills one ring of the Settings → Rings editor (fields left undefined are not touched). */
export async function fillRing(
  page: Page,
  index: number,
  fields: { bakeSeconds?: string; workspaceIds?: string; labels?: string; percent?: string },
): Promise<void> {
  const ring = page.getByTestId(`ring-editor-${index}`);
  if (fields.bakeSeconds !== undefined) await ring.getByLabel("Bake (seconds)").fill(fields.bakeSeconds);
  if (fields.workspaceIds !== undefined) await ring.getByLabel("Workspace ids").fill(fields.workspaceIds);
  if (fields.labels !== undefined) await ring.getByLabel("Labels").fill(fields.labels);
  if (fields.percent !== undefined) await ring.getByLabel("Percent of the fleet").fill(fields.percent);
}

/** Rings are global: turn them off (in a page of its own) so the specs after this one promote directly. */
export async function disableRings(browser: Browser, baseURL: string | undefined): Promise<void> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, "operator");
    await page.goto("/settings/rings");
    const disable = page.getByTestId("rings-disable");
    if ((await disable.count()) > 0) {
      await disable.click();
      await expect(page.getByTestId("rings-enabled")).toHaveText("disabled");
    }
  } finally {
    await context.close();
  }
}
