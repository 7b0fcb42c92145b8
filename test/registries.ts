// Extra real Debian docker-registry instances for registry-client tests, beside the shared
// anonymous one (TEST_REGISTRY_HOST): one with htpasswd auth (scripts/services/registry.sh) and
// one with token auth, whose token server runs in the test process and signs RS256 JWTs the way
// distribution 2.8 verifies them (a `kid` naming a key from the rootcertbundle).
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from "node:crypto";
import { open, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import bcrypt from "bcryptjs";

import { buildAndPushTestImage, type PushedImage } from "./images";

const REGISTRY_SH = path.resolve(import.meta.dirname, "../scripts/services/registry.sh");

export type TestRegistry = { host: string; dir: string; stop: () => Promise<void> };

/** A free TCP port on 127.0.0.1 (closed again, so also usable as "nothing listens here"). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real docker-registry with htpasswd auth for `users` (bcrypt, as the registry requires). */
export async function startHtpasswdRegistry(users: Record<string, string>): Promise<TestRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), "fleetpin-registry-htpasswd-"));
  const htpasswd = path.join(dir, "htpasswd");
  // Cost 4 is bcrypt's minimum: the registry checks the hash on every request.
  const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 4)}`);
  await writeFile(htpasswd, `${lines.join("\n")}\n`);
  const port = await freePort();
  await runScript(["start", dir, String(port), htpasswd]);
  return {
    host: `127.0.0.1:${port}`,
    dir,
    stop: async () => {
      await runScript(["stop", dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What the token server saw: one entry per token request. */
export type TokenRequestLog = { account: string | null; scopes: string[]; authorized: boolean };

export type TokenRegistry = TestRegistry & {
  service: string;
  requests: TokenRequestLog[];
  /** Lifetime (seconds) announced as `expires_in` in the next tokens; `undefined` omits the field. */
  expiresIn: number | undefined;
  /** Token requests that carried an Authorization header (credentials), whatever their outcome. */
  credentialedRequests: number;
};

/**
 * A real docker-registry in `auth: token` mode and its token server. Users in `users` get every
 * action they ask for; anonymous callers get a token with no access (as Docker Hub does for a
 * private repository); wrong credentials get a 401. `tokenServerHost` (default 127.0.0.1) is where
 * the token server listens and what the realm names, e.g. a non-loopback address of this machine.
 */
export async function startTokenRegistry(
  users: Record<string, string>,
  options: { tokenServerHost?: string } = {},
): Promise<TokenRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), "fleetpin-registry-token-"));
  const key = path.join(dir, "token.key");
  const cert = path.join(dir, "token.crt");
  await runCommand("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=fleetpin-test-token-issuer",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  const privateKey = createPrivateKey(await readFile(key));
  const kid = libtrustKeyId(createPublicKey(privateKey).export({ type: "spki", format: "der" }));
  const service = `fleetpin-test-${randomBytes(3).toString("hex")}`;
  const issuer = "fleetpin-test-issuer";

  const registry: TokenRegistry = {
    host: "",
    dir,
    service,
    requests: [],
    expiresIn: 300,
    credentialedRequests: 0,
    stop: async () => undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://token.invalid");
    const scopes = url.searchParams.getAll("scope");
    if (req.headers.authorization) registry.credentialedRequests++;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const [user, ...rest] = basic ? Buffer.from(basic, "base64").toString().split(":") : [];
    const authorized = user !== undefined && users[user] !== undefined && users[user] === rest.join(":");
    registry.requests.push({ account: url.searchParams.get("account"), scopes, authorized });
    if (req.method !== "GET" || url.pathname !== "/token") {
      res.writeHead(404).end();
      return;
    }
    if (basic && !authorized) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "incorrect username or password" }] }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const lifetime = registry.expiresIn ?? 60;
    const access = authorized
      ? scopes.flatMap((scope) => {
          const [type, name, actions] = scope.split(":");
          return type && name && actions ? [{ type, name, actions: actions.split(",") }] : [];
        })
      : [];
    const claims = {
      iss: issuer,
      sub: user ?? "",
      aud: service,
      exp: now + lifetime,
      nbf: now - 5,
      iat: now,
      jti: randomBytes(8).toString("hex"),
      access,
    };
    const token = signJwt({ typ: "JWT", alg: "RS256", kid }, claims, privateKey);
    res.writeHead(200, { "content-type": "application/json" });
    const body: Record<string, unknown> = { token, issued_at: new Date(now * 1000).toISOString() };
    if (registry.expiresIn !== undefined) body.expires_in = registry.expiresIn;
    res.end(JSON.stringify(body));
  });
  const tokenHost = options.tokenServerHost ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, tokenHost, resolve));
  const realm = `http://${tokenHost}:${(server.address() as { port: number }).port}/token`;

  const port = await freePort();
  await writeFile(
    path.join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: warn }",
      "storage:",
      `  filesystem: { rootdirectory: ${path.join(dir, "storage")} }`,
      `http: { addr: 127.0.0.1:${port} }`,
      "auth:",
      "  token:",
      `    realm: ${realm}`,
      `    service: ${service}`,
      `    issuer: ${issuer}`,
      `    rootcertbundle: ${cert}`,
      "",
    ].join("\n"),
  );
  const log = await open(path.join(dir, "registry.log"), "w");
  const child = spawn("docker-registry", ["serve", path.join(dir, "config.yml")], {
    stdio: ["ignore", log.fd, log.fd],
  });
  registry.host = `127.0.0.1:${port}`;
  registry.stop = async () => {
    await stopChild(child);
    await log.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForRegistry(registry.host, child, path.join(dir, "registry.log"));
  } catch (error) {
    await registry.stop();
    throw error;
  }
  return registry;
}

/** Logs in with a throwaway DOCKER_CONFIG, pushes a test image to `host`, logs out again. */
export async function pushWithLogin(
  host: string,
  credentials: { username: string; password: string },
  image: { repository: string; tag: string; marker: string },
): Promise<PushedImage> {
  const config = await mkdtemp(path.join(tmpdir(), "fleetpin-docker-config-"));
  const previous = process.env.DOCKER_CONFIG;
  process.env.DOCKER_CONFIG = config; // buildAndPushTestImage's docker CLI reads process.env
  try {
    await runCommand(
      "docker",
      ["login", "--username", credentials.username, "--password-stdin", host],
      credentials.password,
    );
    return await buildAndPushTestImage({ ...image, registryHost: host });
  } finally {
    if (previous === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = previous;
    await rm(config, { recursive: true, force: true });
  }
}

// libtrust's key ID (what distribution 2.8 matches a JWT `kid` against): the first 240 bits of
// sha256(DER SubjectPublicKeyInfo), base32 without padding, in 12 colon-separated groups of 4.
function libtrustKeyId(spki: Buffer): string {
  const bytes = createHash("sha256").update(spki).digest().subarray(0, 30);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of bytes) bits += byte.toString(2).padStart(8, "0");
  const base32 = bits
    .match(/.{5}/g)!
    .map((chunk) => alphabet[parseInt(chunk, 2)])
    .join("");
  return base32.match(/.{4}/g)!.join(":");
}

function signJwt(header: object, claims: object, key: ReturnType<typeof createPrivateKey>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

async function waitForRegistry(host: string, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    const status = await fetch(`http://${host}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200 || status === 401) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`registry on ${host} did not come up; log:\n${await readFile(logFile, "utf8").catch(() => "")}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function runScript(args: string[]): Promise<string> {
  return runCommand("bash", [REGISTRY_SH, ...args]);
}

function runCommand(command: string, args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args[0]} exited with ${code}: ${stderr || stdout}`)),
    );
    child.stdin.end(stdin ?? "");
  });
}
