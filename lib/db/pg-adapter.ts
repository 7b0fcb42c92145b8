import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { Client, type PoolConfig } from "pg";

/**
 * @prisma/adapter-pg's executeScript (7.10) splits the script on every ";" (so
 * a semicolon in a string, comment or DO block breaks it) and sends each piece
 * through the pool, so BEGIN and COMMIT need not even share a connection. This
 * factory hands out adapters whose executeScript sends the whole script as one
 * simple-protocol query on a connection of its own, closed afterwards: a
 * failed script can never leave an aborted transaction behind in the pool.
 */
export class PgAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName: string;
  private readonly inner: PrismaPg;

  constructor(private readonly config: PoolConfig) {
    this.inner = new PrismaPg(config);
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.withWholeScripts(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    // Prisma's shadow database lives elsewhere; only the runner's scripts need fixing.
    return this.inner.connectToShadowDb();
  }

  private withWholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
    adapter.executeScript = async (script: string) => {
      const client = new Client(this.config);
      // An idle connection dropped by the server must not crash the process.
      client.on("error", () => undefined);
      await client.connect();
      try {
        await client.query(script);
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    return adapter;
  }
}
