import "server-only";

import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter's executeScript neither awaits PGlite's exec nor
 * reports its errors (0.7.2), so a failed migration would look applied. This
 * factory hands out adapters whose executeScript waits and rethrows, and rolls
 * back what the failed script left open: PGlite is one session, so an aborted
 * transaction would otherwise refuse every later query of the process.
 */
export class PGliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName: string;
  private readonly inner: PrismaPGlite;

  constructor(readonly client: PGlite) {
    this.inner = new PrismaPGlite(client);
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.withAwaitedScripts(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.withAwaitedScripts(await this.inner.connectToShadowDb());
  }

  private withAwaitedScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const client = this.client;
    adapter.executeScript = async (script: string) => {
      try {
        await client.exec(script);
      } catch (error) {
        // Any error has already aborted whatever transaction was open; outside one this is a no-op.
        await client.exec("ROLLBACK").catch(() => undefined);
        throw error;
      }
    };
    return adapter;
  }
}
