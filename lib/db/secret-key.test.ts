import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { ValidationError } from "@/lib/domain/errors";

import { loadSecretKey, SECRET_KEY_FILE, WEBHOOK_SECRETS } from "./secret-key";

describe("secret key", () => {
  it("is generated once into the PGlite data folder with mode 0600", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fp-key-"));
    const first = await loadSecretKey({ FLEETPIN_DATA_DIR: dir });
    expect((await stat(path.join(dir, SECRET_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(await loadSecretKey({ FLEETPIN_DATA_DIR: dir })).toEqual(first);
    expect(Buffer.from((await readFile(path.join(dir, SECRET_KEY_FILE), "utf8")).trim(), "base64")).toEqual(first);
  });

  it("names what it was asked for when refused on PostgreSQL", async () => {
    const postgres = { DATABASE_URL: "postgres://x@127.0.0.1/db" };
    await expect(loadSecretKey(postgres)).rejects.toMatchObject({
      message: expect.stringContaining("to store TLS material"),
      fieldErrors: { tls: ["FLEETPIN_SECRET_KEY is not set."] },
    });
    await expect(loadSecretKey(postgres, WEBHOOK_SECRETS)).rejects.toMatchObject({
      message: expect.stringContaining("to store webhook secrets"),
      fieldErrors: { secret: ["FLEETPIN_SECRET_KEY is not set."] },
    });
  });

  it("is required on PostgreSQL and must be 32 bytes", async () => {
    await expect(loadSecretKey({ DATABASE_URL: "postgres://x@127.0.0.1/db" })).rejects.toThrow(
      /Set FLEETPIN_SECRET_KEY/,
    );
    await expect(loadSecretKey({ FLEETPIN_SECRET_KEY: randomBytes(16).toString("base64") })).rejects.toThrow(
      ValidationError,
    );
  });
});
