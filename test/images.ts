// Builds tiny workspace-template images for tests without touching the
// internet: a busybox-static rootfs tar, `docker import`, then a push to the
// test registry. Each image carries /version with its marker, so two markers
// give two different digests.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const BUSYBOX = process.env.FLEETPIN_TEST_BUSYBOX ?? "/usr/bin/busybox";

// PID 1 that exits promptly on SIGTERM and keeps running otherwise.
export const TEST_IMAGE_CMD = [
  "/bin/busybox",
  "sh",
  "-c",
  'trap "exit 0" TERM INT; while true; do /bin/busybox sleep 1 & wait $!; done',
];

export type PushedImage = { ref: string; repository: string; tag: string; digest: string; digestRef: string };

export function testRegistryHost(): string {
  const host = process.env.TEST_REGISTRY_HOST;
  if (!host) throw new Error("TEST_REGISTRY_HOST is not set: run the tests through `npm test` (scripts/test-all.sh)");
  return host;
}

/** Runs the docker CLI against the test daemon (DOCKER_HOST). */
export async function dockerCli(args: string[]): Promise<string> {
  if (!process.env.DOCKER_HOST) throw new Error("DOCKER_HOST is not set: run the tests through `npm test`");
  const { stdout } = await run("docker", args, { env: process.env, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/**
 * Imports a one-layer busybox image tagged `<registryHost>/<repository>:<tag>`,
 * pushes it and returns its manifest digest as the registry reports it.
 */
export async function buildAndPushTestImage(options: {
  repository: string;
  tag: string;
  marker: string;
  registryHost?: string;
  /** Extra `docker import --change` instructions, e.g. `LABEL org.opencontainers.image.revision=abc`. */
  changes?: string[];
}): Promise<PushedImage> {
  const registryHost = options.registryHost ?? testRegistryHost();
  const ref = `${registryHost}/${options.repository}:${options.tag}`;
  const dir = await mkdtemp(path.join(tmpdir(), "fleetpin-image-"));
  try {
    const rootfs = path.join(dir, "rootfs");
    await mkdir(path.join(rootfs, "bin"), { recursive: true });
    await mkdir(path.join(rootfs, "workspace"), { recursive: true });
    await mkdir(path.join(rootfs, "tmp"), { recursive: true });
    await copyFile(BUSYBOX, path.join(rootfs, "bin", "busybox"));
    await symlink("busybox", path.join(rootfs, "bin", "sh"));
    await writeFile(path.join(rootfs, "version"), `${options.marker}\n`);
    const tar = path.join(dir, "rootfs.tar");
    await run("tar", ["-C", rootfs, "--owner=0", "--group=0", "-cf", tar, "."]);
    const changes = (options.changes ?? []).flatMap((change) => ["--change", change]);
    await dockerCli(["import", "--change", `CMD ${JSON.stringify(TEST_IMAGE_CMD)}`, ...changes, tar, ref]);
    const pushed = await dockerCli(["push", ref]);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed)?.[1];
    if (!digest) throw new Error(`could not read the pushed digest of ${ref}:\n${pushed}`);
    const repositoryWithHost = `${registryHost}/${options.repository}`;
    return {
      ref,
      repository: repositoryWithHost,
      tag: options.tag,
      digest,
      digestRef: `${repositoryWithHost}@${digest}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes an image from the daemon's cache (not from the registry), ignoring "no such image". */
export async function removeLocalImage(ref: string): Promise<void> {
  await dockerCli(["image", "rm", "-f", ref]).catch(() => undefined);
}
