import { defineConfig } from "prisma/config";

// `env("DATABASE_URL")` would throw when the variable is unset, even for
// `prisma generate`; the embedded PGlite default has no URL at all.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
