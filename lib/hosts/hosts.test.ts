import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { ConflictError, NotFoundError } from "@/lib/domain/errors";
import { hostInputSchema, hostFormSchema } from "@/lib/schemas/host";
import { availableBackends } from "@/test/databases";
import { useTestDatabase } from "@/test/use-test-database";

import {
  addHost,
  deleteHost,
  ensureLocalHost,
  hasLabel,
  hostConnection,
  hostOfWorkspaces,
  listHosts,
  updateHost,
} from "./hosts";

const PEM_CERT = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----";
const PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----";
const env = { FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") };
const input = (over: Record<string, unknown> = {}) =>
  hostInputSchema.parse({
    name: "eu-1",
    endpoint: "tcp://10.0.0.5:2376",
    labels: { region: "eu" },
    concurrency: 3,
    tls: { ca: PEM_CERT, cert: PEM_CERT, key: PEM_KEY },
    ...over,
  });

describe.each(availableBackends())("docker hosts on %s", (backend) => {
  const db = useTestDatabase(backend, { truncate: ["docker_hosts", "audit_log", "workspaces"] });

  it("stores TLS material sealed, never in clear, and opens it again with the key", async () => {
    const view = await addHost(db(), input(), "alice@example.com", env);
    expect(view).toMatchObject({
      name: "eu-1",
      endpoint: "tcp://10.0.0.5:2376",
      labels: { region: "eu" },
      concurrency: 3,
      tls: true,
    });
    const [row] = await db().$queryRawUnsafe<Record<string, string>[]>(
      "SELECT tls_ca, tls_cert, tls_key FROM docker_hosts WHERE name = 'eu-1'",
    );
    for (const value of Object.values(row!)) {
      expect(value).toMatch(/^v1:/);
      expect(value).not.toContain("BEGIN");
      expect(value).not.toContain("secretkeymaterial");
    }
    const connection = await hostConnection(db(), "eu-1", env);
    expect(connection?.tls?.key).toBe(`${PEM_KEY}\n`);
    await expect(
      hostConnection(db(), "eu-1", { FLEETPIN_SECRET_KEY: randomBytes(32).toString("base64") }),
    ).rejects.toThrow(/cannot be opened/);
  });

  it("audits add, update and delete without the material", async () => {
    await addHost(db(), input(), "alice@example.com", env);
    await updateHost(
      db(),
      "eu-1",
      { endpoint: "tcp://10.0.0.6:2376", labels: { region: "us" }, concurrency: 5 },
      "bob@example.com",
      env,
    );
    const listed = await listHosts(db());
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      endpoint: "tcp://10.0.0.6:2376",
      labels: { region: "us" },
      concurrency: 5,
      tls: true,
    });
    await deleteHost(db(), "eu-1", "bob@example.com");
    const audit = await db().auditLog.findMany({ where: { targetType: "host" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["host.add", "host.update", "host.delete"]);
    expect(JSON.stringify(audit, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("BEGIN");
  });

  it("refuses a second host with the same name or endpoint", async () => {
    await addHost(db(), input(), "a", env);
    await expect(addHost(db(), input({ endpoint: "tcp://10.0.0.9:2376" }), "a", env)).rejects.toThrow(ConflictError);
    await expect(addHost(db(), input({ name: "eu-2" }), "a", env)).rejects.toThrow(/already registered at/);
  });

  it("refuses to delete a host that still has live workspaces, and an unknown one", async () => {
    await addHost(db(), input({ tls: null }), "a", env);
    await db().workspace.create({ data: { name: "w", host: "eu-1" } });
    await expect(deleteHost(db(), "eu-1", "a")).rejects.toThrow(/still has 1 workspace/);
    await expect(deleteHost(db(), "nope", "a")).rejects.toThrow(NotFoundError);
  });

  it("registers local once and keeps an operator's edit of it", async () => {
    expect(await ensureLocalHost(db(), "unix:///var/run/docker.sock")).toBe(true);
    await updateHost(db(), "local", { endpoint: "unix:///run/other.sock", labels: {}, concurrency: 2 }, "a", env);
    expect(await ensureLocalHost(db(), "unix:///var/run/docker.sock")).toBe(false);
    expect((await listHosts(db()))[0]).toMatchObject({ name: "local", endpoint: "unix:///run/other.sock" });
  });

  it("new workspaces default to local; hostOfWorkspaces reads each one's host", async () => {
    const a = await db().workspace.create({ data: { name: "a" } });
    const b = await db().workspace.create({ data: { name: "b", host: "eu-1" } });
    expect(await hostOfWorkspaces(db(), [a.id, b.id])).toEqual(
      new Map([
        [a.id, "local"],
        [b.id, "eu-1"],
      ]),
    );
  });

  it.each([
    ["a bad name", "('Bad', 'unix:///s', 4)"],
    ["a bad endpoint", "('h', 'http://x:1', 4)"],
    ["a concurrency of 0", "('h', 'unix:///s', 0)"],
  ])("the database refuses %s (CHECK)", async (_what, values) => {
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO docker_hosts (name, endpoint, concurrency, created_by) VALUES ${values.slice(0, -1)}, 't')`,
      ),
    ).rejects.toThrow();
  });

  it("filters by label", async () => {
    await addHost(db(), input({ tls: null }), "a", env);
    await addHost(
      db(),
      input({ name: "us-1", endpoint: "tcp://10.0.0.7:2375", labels: { region: "us" }, tls: null }),
      "a",
      env,
    );
    expect((await listHosts(db(), { label: "region=us" })).map((h) => h.name)).toEqual(["us-1"]);
  });
});

describe("host input", () => {
  it.each([
    [{ name: "Bad Name" }, "name"],
    [{ endpoint: "http://x:1" }, "endpoint"],
    [{ endpoint: "unix:///s.sock" }, "tls"],
    [{ concurrency: 0 }, "concurrency"],
    [{ tls: { ca: "nope", cert: PEM_CERT, key: PEM_KEY } }, "tls"],
    [{ labels: { "bad key!": "x" } }, "labels"],
  ])("refuses %j", (over, field) => {
    const parsed = hostInputSchema.safeParse({
      name: "h",
      endpoint: "tcp://h:2376",
      tls: { ca: PEM_CERT, cert: PEM_CERT, key: PEM_KEY },
      ...over,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path[0]).toBe(field);
  });

  it("normalizes endpoints so one engine cannot be registered twice by spelling", () => {
    expect(hostInputSchema.parse({ name: "h", endpoint: "tcp://Docker.Example:2376/" }).endpoint).toBe(
      "tcp://docker.example:2376",
    );
    expect(hostInputSchema.safeParse({ name: "h", endpoint: "tcp://docker.example" }).success).toBe(false);
  });

  it("parses the settings form: labels as text, blank TLS kept, errors on the form field", () => {
    const form = hostFormSchema.parse({
      mode: "edit",
      name: "h",
      endpoint: "tcp://h:2376",
      labels: "region=eu, tier = gpu",
      concurrency: "2",
      tlsCa: " ",
      tlsCert: "",
      tlsKey: "",
    });
    expect(form).toMatchObject({ labels: { region: "eu", tier: "gpu" }, concurrency: 2, tls: undefined });
    const bad = hostFormSchema.safeParse({
      mode: "add",
      name: "h",
      endpoint: "tcp://h:2376",
      tlsCa: PEM_CERT,
      tlsCert: PEM_CERT,
      tlsKey: "x",
    });
    expect(bad.error!.issues[0]!.path).toEqual(["tlsKey"]);
  });

  it.each([
    ["region=eu", true],
    ["region=us", false],
    ["region", true],
    ["tier", false],
  ])("hasLabel(%s)", (label, expected) => {
    expect(hasLabel({ region: "eu" }, label)).toBe(expected);
  });
});
