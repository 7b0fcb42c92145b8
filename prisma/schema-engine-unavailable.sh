#!/bin/sh
# Prisma's schema-engine binary cannot be downloaded on Fleetpin's offline build
# machines. PRISMA_SCHEMA_ENGINE_BINARY points here so `prisma generate` (which
# never runs the engine) works; anything that needs the engine fails loudly.
echo "schema-engine is not installed (offline): use 'npm run db:migrate' to apply prisma/migrations" >&2
exit 1
