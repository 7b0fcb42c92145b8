import "server-only";

import { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter's executeScript neither awaits PGlite's exec nor
 * reports its errors (0.7.2), so a failed migration would look applied. This
 * factory hands out adapters whose executeScript waits and rethrows.
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
      await client.exec(script);
    };
    return adapter;
  }
}
