// schema.prisma and the migrated database must agree: every model's table,
// every field's column (type, nullability, default), every enum, key, index
// and foreign key, and nothing in the database the schema does not declare.
// A field added to schema.prisma without a migration fails here.
import { readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { availableBackends, createTestDatabase, type TestDatabase } from "@/test/databases";
import {
  readPrismaSchema,
  type PrismaSchema,
  type SchemaColumn,
  type SchemaEnum,
  type SchemaModel,
} from "@/test/prisma-schema";

import type { Db } from "./client";

const SCHEMA_TEXT = readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");

// What schema.prisma cannot express lives only in the migration; each entry is tested below.
const CHECK_CONSTRAINTS = [
  // Tested in lib/hosts/hosts.test.ts.
  "docker_hosts.docker_hosts_concurrency_check",
  "docker_hosts.docker_hosts_endpoint_check",
  "docker_hosts.docker_hosts_name_check",
  // Tested in lib/db/rollouts/rollouts.test.ts.
  "rings.rings_bake_seconds_check",
  "rollout_rings.rollout_rings_status_check",
  "rollouts.rollouts_rollback_ending_check",
  "rollouts.rollouts_status_check",
  "runtime_image_pin_history.runtime_image_pin_history_from_digest_check",
  "runtime_image_pin_history.runtime_image_pin_history_to_digest_check",
  "runtime_image_pins.runtime_image_pins_digest_check",
];

type DbColumn = {
  table: string;
  column: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  default: string | null;
  precision: number | null;
  length: number | null;
};
type DbIndex = {
  name: string;
  table: string;
  columns: string[];
  isUnique: boolean;
  isPrimary: boolean;
  predicate: string | null;
};
type DbConstraint = {
  name: string;
  table: string;
  type: "f" | "c";
  columns: string[];
  refTable: string | null;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
};
type DbSnapshot = {
  tables: string[];
  columns: DbColumn[];
  enums: { name: string; values: string[] }[];
  indexes: DbIndex[];
  constraints: DbConstraint[];
};

const columnList = (keys: string, relation: string) =>
  `(SELECT coalesce(json_agg(a.attname::text ORDER BY k.ord), '[]') FROM unnest(${keys}) WITH ORDINALITY k(num, ord)
    JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.num)::text`;

/** Everything about the public schema the comparison needs, read from the catalogs. */
async function snapshot(db: Db): Promise<DbSnapshot> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  const columns = await db.$queryRawUnsafe<DbColumn[]>(
    `SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS "dataType", udt_name::text AS "udtName",
            is_nullable = 'YES' AS "nullable", column_default::text AS "default",
            datetime_precision::int AS "precision", character_maximum_length::int AS "length"
     FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const enums = await db.$queryRawUnsafe<{ name: string; values: string }[]>(
    `SELECT t.typname::text AS name, (SELECT json_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)::text AS values
     FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`,
  );
  const indexes = await db.$queryRawUnsafe<(Omit<DbIndex, "columns"> & { columns: string })[]>(
    `SELECT i.relname::text AS name, t.relname::text AS "table", ix.indisunique AS "isUnique", ix.indisprimary AS "isPrimary",
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate, ${columnList("ix.indkey::int2[]", "ix.indrelid")} AS columns
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
  );
  const constraints = await db.$queryRawUnsafe<
    (Omit<DbConstraint, "columns" | "refColumns"> & { columns: string; refColumns: string })[]
  >(
    `SELECT c.conname::text AS name, t.relname::text AS "table", c.contype::text AS type, rt.relname::text AS "refTable",
            ${columnList("c.conkey", "c.conrelid")} AS columns, ${columnList("c.confkey", "c.confrelid")} AS "refColumns",
            c.confdeltype::text AS "onDelete", c.confupdtype::text AS "onUpdate"
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     LEFT JOIN pg_class rt ON rt.oid = c.confrelid WHERE n.nspname = 'public' AND c.contype IN ('f', 'c')`,
  );
  return {
    tables: tables.map((t) => t.name),
    columns,
    enums: enums.map((e) => ({ name: e.name, values: JSON.parse(e.values) as string[] })),
    indexes: indexes.map((i) => ({ ...i, columns: JSON.parse(i.columns) as string[] })),
    constraints: constraints.map((c) => ({
      ...c,
      columns: JSON.parse(c.columns) as string[],
      refColumns: JSON.parse(c.refColumns) as string[],
    })),
  };
}

const TYPES: Record<string, { dataType: string; udtName: string }> = {
  String: { dataType: "text", udtName: "text" },
  Int: { dataType: "integer", udtName: "int4" },
  BigInt: { dataType: "bigint", udtName: "int8" },
  Float: { dataType: "double precision", udtName: "float8" },
  Decimal: { dataType: "numeric", udtName: "numeric" },
  Boolean: { dataType: "boolean", udtName: "bool" },
  DateTime: { dataType: "timestamp without time zone", udtName: "timestamp" },
  Json: { dataType: "jsonb", udtName: "jsonb" },
  Bytes: { dataType: "bytea", udtName: "bytea" },
};
const NATIVE_TYPES: Record<string, { dataType: string; udtName: string }> = {
  Uuid: { dataType: "uuid", udtName: "uuid" },
  Text: TYPES.String!,
  VarChar: { dataType: "character varying", udtName: "varchar" },
  Timestamptz: { dataType: "timestamp with time zone", udtName: "timestamptz" },
  Timestamp: TYPES.DateTime!,
  Date: { dataType: "date", udtName: "date" },
  SmallInt: { dataType: "smallint", udtName: "int2" },
  Integer: TYPES.Int!,
  JsonB: TYPES.Json!,
  Json: { dataType: "json", udtName: "json" },
};

/** The column a field must have, as information_schema.columns spells it. */
function expectedColumn(field: SchemaColumn, enums: Map<string, SchemaEnum>): Partial<DbColumn> | string {
  const native = field.nativeType;
  const base = field.isEnum
    ? { dataType: "USER-DEFINED", udtName: enums.get(field.type)!.dbName }
    : native
      ? NATIVE_TYPES[native.name]
      : TYPES[field.type];
  if (!base)
    return `${native ? `@db.${native.name}` : field.type} is not known to this test; add it to ${native ? "NATIVE_TYPES" : "TYPES"}`;
  const column: Partial<DbColumn> = field.isList ? { dataType: "ARRAY", udtName: `_${base.udtName}` } : { ...base };
  if (native?.name === "VarChar" && native.args[0]) column.length = Number(native.args[0]);
  if (base.udtName.startsWith("timestamp")) column.precision = Number(native?.args[0] ?? 3);
  return { ...column, nullable: field.isOptional };
}

/** The column default PostgreSQL reports for a field's @default (null: none in the database). */
function expectedDefault(field: SchemaColumn, enums: Map<string, SchemaEnum>): string | RegExp | null {
  const value = field.default;
  if (!value) return null;
  if (value.kind === "function") {
    if (value.name === "now") return "CURRENT_TIMESTAMP";
    if (value.name === "autoincrement") return /^nextval\('[\w."]+'::regclass\)$/;
    if (value.name === "dbgenerated" && typeof value.args[0] === "string") return value.args[0];
    if (["uuid", "cuid", "nanoid", "ulid"].includes(value.name)) return null; // generated by Prisma Client, not the database
    return `unsupported @default in this test: ${JSON.stringify(value)}`;
  }
  if (field.isList || typeof value.value === "object")
    return `unsupported @default in this test: ${JSON.stringify(value)}`;
  if (field.isEnum) {
    const e = enums.get(field.type)!;
    return `'${e.values.find((v) => v.name === value.value)?.dbName ?? String(value.value)}'::${e.dbName}`;
  }
  if (field.type === "String" || field.type === "Json")
    return `'${String(value.value).replaceAll("'", "''")}'::${field.type === "Json" ? "jsonb" : "text"}`;
  return String(value.value);
}

const FK_ACTIONS: Record<string, string> = {
  a: "NoAction",
  r: "Restrict",
  c: "Cascade",
  n: "SetNull",
  d: "SetDefault",
};

/** Every way the database differs from the schema, as readable lines; empty when they agree. */
function schemaMismatches(schema: PrismaSchema, db: DbSnapshot): string[] {
  const problems: string[] = [];
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  const models = new Map(schema.models.map((m) => [m.name, m]));
  const columnOf = (model: SchemaModel, field: string) =>
    model.columns.find((f) => f.field === field)?.column ?? `<no field ${field}>`;
  const expectedIndexes = new Map<string, Omit<DbIndex, "name">>();
  const expectedForeignKeys = new Set<string>();

  for (const model of schema.models) {
    const { table } = model;
    if (!db.tables.includes(table)) {
      problems.push(`model ${model.name}: table ${table} is missing`);
      continue;
    }
    for (const field of model.columns) {
      const actual = db.columns.find((c) => c.table === table && c.column === field.column);
      if (!actual) {
        problems.push(`${model.name}.${field.field}: column ${table}.${field.column} is missing`);
        continue;
      }
      const expected = expectedColumn(field, enums);
      if (typeof expected === "string") problems.push(`${model.name}.${field.field}: ${expected}`);
      else {
        for (const [key, value] of Object.entries(expected)) {
          const got = actual[key as keyof DbColumn];
          if (got !== value)
            problems.push(
              `${model.name}.${field.field}: ${table}.${field.column} ${key} is ${got}, schema.prisma says ${value}`,
            );
        }
      }
      const wantedDefault = expectedDefault(field, enums);
      const defaultAgrees =
        wantedDefault instanceof RegExp ? wantedDefault.test(actual.default ?? "") : wantedDefault === actual.default;
      if (!defaultAgrees)
        problems.push(
          `${model.name}.${field.field}: ${table}.${field.column} default is ${actual.default}, schema.prisma says ${wantedDefault}`,
        );
    }
    for (const column of db.columns.filter((c) => c.table === table)) {
      if (!model.columns.some((f) => f.column === column.column))
        problems.push(`table ${table} has column ${column.column} that schema.prisma lacks`);
    }

    // Unnamed keys and indexes get Prisma's default names: <table>_pkey, <table>_<columns>_key, <table>_<columns>_idx.
    // A partial index's raw() condition is written as PostgreSQL prints it back (pg_get_expr), so the two compare as text.
    for (const index of model.indexes) {
      const columns = index.fields.map((f) => columnOf(model, f));
      const name =
        index.map ??
        (index.kind === "id"
          ? `${table}_pkey`
          : `${table}_${columns.join("_")}_${index.kind === "unique" ? "key" : "idx"}`);
      const where = index.where && `(${index.where})`;
      expectedIndexes.set(name, {
        table,
        columns,
        isUnique: index.kind !== "index",
        isPrimary: index.kind === "id",
        predicate: where,
      });
    }

    for (const relation of model.foreignKeys) {
      const target = models.get(relation.target)!;
      const columns = relation.fields.map((f) => columnOf(model, f));
      const name = relation.map ?? `${table}_${columns.join("_")}_fkey`;
      expectedForeignKeys.add(name);
      const expected = {
        name,
        table,
        type: "f",
        columns,
        refTable: target.table,
        refColumns: relation.references.map((f) => columnOf(target, f)),
        onDelete: relation.onDelete ?? (relation.isOptional ? "SetNull" : "Restrict"),
        onUpdate: relation.onUpdate ?? "Cascade",
      };
      const actual = db.constraints.find((c) => c.name === name && c.table === table);
      const described = actual && {
        name: actual.name,
        table: actual.table,
        type: actual.type,
        columns: actual.columns,
        refTable: actual.refTable,
        refColumns: actual.refColumns,
        onDelete: FK_ACTIONS[actual.onDelete],
        onUpdate: FK_ACTIONS[actual.onUpdate],
      };
      if (JSON.stringify(described) !== JSON.stringify(expected)) {
        problems.push(
          `${model.name}.${relation.field}: foreign key ${JSON.stringify(described ?? null)}, schema.prisma says ${JSON.stringify(expected)}`,
        );
      }
    }
  }

  for (const [name, expected] of expectedIndexes) {
    const actual = db.indexes.find((i) => i.name === name);
    const shape = actual && {
      table: actual.table,
      columns: actual.columns,
      isUnique: actual.isUnique,
      isPrimary: actual.isPrimary,
      predicate: actual.predicate,
    };
    if (JSON.stringify(shape) !== JSON.stringify(expected)) {
      problems.push(
        `index ${name}: ${shape ? JSON.stringify(shape) : "missing"}, schema.prisma says ${JSON.stringify(expected)}`,
      );
    }
  }
  for (const actual of db.indexes) {
    if (actual.table === "_prisma_migrations") continue;
    if (!expectedIndexes.has(actual.name))
      problems.push(`index ${actual.name} on ${actual.table} is not in schema.prisma`);
  }
  for (const constraint of db.constraints) {
    if (constraint.type === "f" && !expectedForeignKeys.has(constraint.name))
      problems.push(`foreign key ${constraint.name} on ${constraint.table} is not in schema.prisma`);
    if (constraint.type === "c" && !CHECK_CONSTRAINTS.includes(`${constraint.table}.${constraint.name}`)) {
      problems.push(`CHECK ${constraint.name} on ${constraint.table} is not listed in CHECK_CONSTRAINTS (and tested)`);
    }
  }
  for (const listed of CHECK_CONSTRAINTS) {
    if (!db.constraints.some((c) => c.type === "c" && `${c.table}.${c.name}` === listed))
      problems.push(`CHECK ${listed} is missing`);
  }

  for (const e of schema.enums) {
    const actual = db.enums.find((a) => a.name === e.dbName);
    const values = e.values.map((v) => v.dbName);
    if (!actual) problems.push(`enum ${e.name}: type ${e.dbName} is missing`);
    else if (JSON.stringify(actual.values) !== JSON.stringify(values)) {
      problems.push(
        `enum ${e.name}: ${e.dbName} has values ${actual.values.join(", ")}, schema.prisma says ${values.join(", ")}`,
      );
    }
  }
  for (const actual of db.enums) {
    if (!schema.enums.some((e) => e.dbName === actual.name))
      problems.push(`enum type ${actual.name} is not in schema.prisma`);
  }
  for (const table of db.tables) {
    if (table !== "_prisma_migrations" && !schema.models.some((m) => m.table === table))
      problems.push(`table ${table} is not in schema.prisma`);
  }
  return problems;
}

/** schema.prisma with one edit; fails loudly if the text to edit is gone. */
function edited(find: RegExp, replace: string): PrismaSchema {
  expect(SCHEMA_TEXT).toMatch(find);
  return readPrismaSchema(SCHEMA_TEXT.replace(find, replace));
}

describe.each(availableBackends())("schema.prisma against the migrated database on %s", (backend) => {
  let database: TestDatabase;
  let actual: DbSnapshot;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    actual = await snapshot(database.db);
  });

  afterAll(async () => {
    await database?.close();
  });

  it("agree on every table, column, type, nullability, default, enum, key, index and foreign key", () => {
    expect(actual.tables.length).toBeGreaterThan(1);
    expect(schemaMismatches(readPrismaSchema(SCHEMA_TEXT), actual)).toEqual([]);
  });

  it.each([
    [
      "a field without a migration",
      /(\n {2}operationItems OperationItem\[\])/,
      '\n  extraNote String? @map("extra_note")$1',
      "Workspace.extraNote: column workspaces.extra_note is missing",
    ],
    [
      "a model without a migration",
      /$/,
      '\nmodel Extra {\n  id Int @id\n  @@map("extras")\n}\n',
      "model Extra: table extras is missing",
    ],
    [
      "a column the schema lost",
      /\n {2}notes +String\?\n/,
      "\n",
      "table runtime_image_pins has column notes that schema.prisma lacks",
    ],
    [
      "an optional field that is NOT NULL",
      /(\n {2}name +String)\n/,
      "$1?\n",
      "Workspace.name: workspaces.name nullable is false, schema.prisma says true",
    ],
    [
      "a wrong type",
      /(\n {2}failures +)Int/,
      "$1BigInt",
      "LoginThrottle.failures: login_throttle.failures dataType is integer, schema.prisma says bigint",
    ],
    [
      "a wrong default",
      /@default\(4\)/,
      "@default(5)",
      "Operation.concurrency: operations.concurrency default is 4, schema.prisma says 5",
    ],
    [
      "a missing enum value",
      /(\n {2}hibernating\n)/,
      "$1  deleted\n",
      "enum WorkspaceStatus: workspace_status has values",
    ],
    [
      "a renamed index",
      /map: "idx_workspaces_status"/,
      'map: "idx_workspaces_state"',
      "index idx_workspaces_state: missing",
    ],
    [
      "an index on other columns",
      /@@index\(\[createdAt, id\]/,
      "@@index([id, createdAt]",
      'index idx_workspaces_created: {"table":"workspaces","columns":["created_at","id"]',
    ],
    [
      "a partial index declared plain",
      /, where: raw\("runtime_image_digest IS NOT NULL"\)/,
      "",
      '"predicate":"(runtime_image_digest IS NOT NULL)"}, schema.prisma says',
    ],
    [
      "a different partial condition",
      /status <> 'removed'/,
      "status <> 'failed'",
      "index idx_workspaces_live_runtime_digest:",
    ],
    [
      "an index the schema lost",
      /\n {2}@@index\(\[status\], map: "idx_workspaces_status"\)/,
      "",
      "index idx_workspaces_status on workspaces is not in schema.prisma",
    ],
    [
      "a unique key declared plain",
      /(email +String +)@unique\(map: "users_email_key"\)/,
      "$1",
      "index users_email_key on users is not in schema.prisma",
    ],
    [
      "a renamed foreign key",
      /(user User @relation\(fields: \[userId\], references: \[id\], onDelete: Cascade)\)/,
      '$1, map: "sessions_owner_fkey")',
      "foreign key sessions_user_id_fkey on sessions is not in schema.prisma",
    ],
    [
      "a different onDelete",
      /(operation Operation +@relation\(fields: \[operationId\], references: \[id\], onDelete: )Cascade/,
      "$1Restrict",
      "OperationItem.operation: foreign key",
    ],
  ])("would catch %s", (_, find, replace, problem) => {
    expect(schemaMismatches(edited(find, replace), actual)).toEqual(
      expect.arrayContaining([expect.stringContaining(problem)]),
    );
  });

  it("keeps the seed's partial index on workspaces.runtime_image_digest (its migration 047)", async () => {
    const rows = await database.db.$queryRawUnsafe<{ indexdef: string }[]>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'idx_workspaces_runtime_image_digest'`,
    );
    expect(rows).toEqual([
      {
        indexdef: expect.stringMatching(
          /ON public\.workspaces USING btree \(runtime_image_digest\) WHERE \(runtime_image_digest IS NOT NULL\)$/,
        ),
      },
    ]);
  });

  it("refuses a pin digest that is not sha256 plus 64 lowercase hex, and stores one that is", async () => {
    const pin = (templateName: string, digest: string) =>
      database.db.runtimeImagePin.create({ data: { templateName, digest } });

    for (const digest of [
      `sha256:${"ABCDEF0123".repeat(6)}ABCD`,
      `sha256:${"a".repeat(63)}`,
      `sha256:${"a".repeat(65)}`,
      "latest",
      `sha512:${"a".repeat(64)}`,
    ]) {
      await expect(pin("hermes", digest), digest).rejects.toThrow(/runtime_image_pins_digest_check|check constraint/i);
    }
    const good = `sha256:${"0123456789abcdef".repeat(4)}`;
    await expect(pin("hermes", good)).resolves.toMatchObject({ templateName: "hermes", digest: good });
  });

  it("refuses a malformed digest in pin history, and allows none", async () => {
    const history = (fromDigest: string | null, toDigest: string | null) =>
      database.db.runtimeImagePinHistory.create({
        data: {
          templateName: "hermes",
          action: "promote",
          fromDigest,
          toDigest,
          actor: "ops@example.com",
          reason: "test",
        },
      });

    await expect(history(null, `sha256:${"A".repeat(64)}`)).rejects.toThrow(/to_digest_check|check constraint/i);
    await expect(history("sha256:abc", null)).rejects.toThrow(/from_digest_check|check constraint/i);
    await expect(history(null, null)).resolves.toMatchObject({ fromDigest: null, toDigest: null });
  });
});
