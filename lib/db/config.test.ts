import path from "node:path";

import { describe, expect, it } from "vitest";

import { DatabaseUnavailableError } from "@/lib/domain/errors";

import { databaseConfigFromEnv, DEFAULT_PGLITE_DIR, describeDatabase } from "./config";

describe("databaseConfigFromEnv", () => {
  it.each([
    ["unset", {}],
    ["empty", { DATABASE_URL: "" }],
    ["blank", { DATABASE_URL: "   " }],
  ])("uses the embedded database in the default folder when DATABASE_URL is %s", (_, env) => {
    expect(databaseConfigFromEnv(env)).toEqual({ kind: "pglite", dataDir: path.resolve(DEFAULT_PGLITE_DIR) });
  });

  it("takes the embedded folder from FLEETPIN_DATA_DIR, made absolute", () => {
    expect(databaseConfigFromEnv({ FLEETPIN_DATA_DIR: "/var/lib/fleetpin/db" })).toEqual({
      kind: "pglite",
      dataDir: "/var/lib/fleetpin/db",
    });
    expect(databaseConfigFromEnv({ FLEETPIN_DATA_DIR: " data/pg " })).toEqual({
      kind: "pglite",
      dataDir: path.resolve("data/pg"),
    });
  });

  it("keeps an in-memory PGlite as it is", () => {
    expect(databaseConfigFromEnv({ FLEETPIN_DATA_DIR: "memory://" })).toEqual({ kind: "pglite", dataDir: "memory://" });
  });

  it("prefers DATABASE_URL over FLEETPIN_DATA_DIR", () => {
    const config = databaseConfigFromEnv({
      DATABASE_URL: "postgres://fleet@db.internal:5432/fleetpin",
      FLEETPIN_DATA_DIR: "/x",
    });
    expect(config).toEqual({
      kind: "postgres",
      url: "postgres://fleet@db.internal:5432/fleetpin",
      displayUrl: "postgres://fleet@db.internal:5432/fleetpin",
    });
  });

  it.each([
    "postgres://fleet@localhost/fleetpin",
    "postgresql://fleet@127.0.0.1:6543/fleetpin",
    "postgres://fleet@[::1]/fleetpin",
  ])("accepts %s", (url) => {
    expect(databaseConfigFromEnv({ DATABASE_URL: url })).toMatchObject({ kind: "postgres", url });
  });

  it("accepts a Unix socket directory given as ?host=", () => {
    const url = "postgres:///fleetpin?host=/var/run/postgresql";
    expect(databaseConfigFromEnv({ DATABASE_URL: url })).toMatchObject({ kind: "postgres", url });
  });

  it.each([
    [
      "not a URL",
      "fleetpin database",
      /DATABASE_URL is not a valid URL\. Expected postgres:\/\/user:password@host:5432\/database/,
    ],
    ["a URL with an empty host", "postgres://fleet:secret@/fleetpin", /DATABASE_URL is not a valid URL/],
    [
      "a MySQL URL",
      "mysql://fleet:secret@db/fleetpin",
      /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(it starts with "mysql:"\)/,
    ],
    [
      "host:port without a scheme",
      "localhost:5432/fleetpin",
      /must start with postgres:\/\/ or postgresql:\/\/ \(it starts with "localhost:"\)/,
    ],
    [
      "a URL without a host",
      "postgres:///fleetpin",
      /DATABASE_URL has no host\. Expected postgres:\/\/user:password@host:5432\/database/,
    ],
  ])("refuses %s with a clear message", (_, url, message) => {
    const read = () => databaseConfigFromEnv({ DATABASE_URL: url });
    expect(read).toThrow(DatabaseUnavailableError);
    expect(read).toThrow(message);
  });

  it("never repeats the password in its messages", () => {
    expect(() => databaseConfigFromEnv({ DATABASE_URL: "mysql://fleet:hunter2@db/fleetpin" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });
});

describe("describeDatabase", () => {
  it("names the embedded folder", () => {
    expect(describeDatabase({ kind: "pglite", dataDir: "/srv/fleetpin/pglite" })).toBe(
      "embedded PGlite at /srv/fleetpin/pglite",
    );
  });

  it("redacts the password in the user part and in ?password=", () => {
    const fromUserInfo = databaseConfigFromEnv({ DATABASE_URL: "postgres://fleet:hunter2@db:5432/fleetpin" });
    const fromQuery = databaseConfigFromEnv({
      DATABASE_URL: "postgres://fleet@db/fleetpin?password=hunter2&sslmode=disable",
    });

    expect(describeDatabase(fromUserInfo)).toBe("PostgreSQL at postgres://fleet:***@db:5432/fleetpin");
    expect(describeDatabase(fromQuery)).toBe("PostgreSQL at postgres://fleet@db/fleetpin?password=***&sslmode=disable");
    // The real URL keeps the password: it is what the driver connects with.
    expect(fromUserInfo).toMatchObject({ url: "postgres://fleet:hunter2@db:5432/fleetpin" });
  });
});
