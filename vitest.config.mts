import path from "node:path";

import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `server-only` throws outside React's server bundle; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    // Tests are quiet unless asked (FLEETPIN_LOG_LEVEL=debug npx vitest …); tests of log lines capture them (lib/log/capture.ts).
    env: { FLEETPIN_LOG_LEVEL: process.env.FLEETPIN_LOG_LEVEL ?? "silent" },
    include: [
      "lib/**/*.test.ts",
      "scripts/**/*.test.ts",
      "app/**/*.test.ts",
      "test/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests share one dockerd and one PostgreSQL server; files run in
    // parallel workers, each test file creates its own database and names.
    pool: "forks",
    // Most integration files spend their time waiting on dockerd, the registry or a health gate,
    // not on the CPU: on 2 cores the default (one worker) runs them one after the other.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS ?? 3),
  },
});
