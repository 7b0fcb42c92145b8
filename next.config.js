// next.config.js is loaded by Node before any TypeScript is compiled, so these are spelled out here.
const SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // These load native or WASM files from their own package folders at run time,
  // which bundling would break; Node resolves them from node_modules instead.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "dockerode",
    "docker-modem",
    "ssh2",
    "cpu-features",
    "@node-rs/argon2",
    "pg",
    // ESM with run-time imports of its own (and @opentelemetry/api); one copy per process.
    "pg-boss",
    // One metrics registry per process, not one per route bundle.
    "prom-client",
  ],
  poweredByHeader: false,
  // On every response, static files too; the Content-Security-Policy (per-request nonce) comes from proxy.ts.
  // Kept in step with lib/security-headers.ts STATIC_SECURITY_HEADERS (security-headers.test.ts checks).
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

module.exports = nextConfig;
