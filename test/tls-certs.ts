// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl the way
// Docker's "Protect the daemon socket" guide makes them, for a dockerd on TCP + TLS in tests.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface TlsFiles {
  dir: string;
  caPem: string;
  serverCert: string;
  serverKey: string;
  /** PEM text of what a client presents: the CA to check the server, its own certificate and key. */
  client: { ca: string; cert: string; key: string };
}

export function makeTlsFiles(dir: string): TlsFiles {
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=fleetpin-test-ca",
    "-keyout",
    "ca-key.pem",
    "-out",
    "ca.pem",
  );
  writeFileSync(
    path.join(dir, "server.ext"),
    "subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n",
  );
  writeFileSync(path.join(dir, "client.ext"), "extendedKeyUsage = clientAuth\n");
  for (const [name, ext] of [
    ["server", "server.ext"],
    ["client", "client.ext"],
  ] as const) {
    run(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      `${name}-key.pem`,
      "-out",
      `${name}.csr`,
    );
    run(
      "x509",
      "-req",
      "-days",
      "2",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca-key.pem",
      "-CAcreateserial",
      "-extfile",
      ext,
      "-out",
      `${name}-cert.pem`,
    );
  }
  const read = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return {
    dir,
    caPem: path.join(dir, "ca.pem"),
    serverCert: path.join(dir, "server-cert.pem"),
    serverKey: path.join(dir, "server-key.pem"),
    client: { ca: read("ca.pem"), cert: read("client-cert.pem"), key: read("client-key.pem") },
  };
}
