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
  ],
  poweredByHeader: false,
};

module.exports = nextConfig;
