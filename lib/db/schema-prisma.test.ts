import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parsePrismaSchema, PrismaSchemaParseError, type PrismaModel } from "@/lib/db/schema-prisma";

function model(source: string): PrismaModel {
  const schema = parsePrismaSchema(source);
  expect(schema.models).toHaveLength(1);
  return schema.models[0]!;
}

describe("parsePrismaSchema", () => {
  it("reads scalar fields: type, list, optional, @map, @id, @unique, @default, @updatedAt, @db.X", () => {
    const parsed = model(`
      model Thing {
        id        String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
        count     Int      @default(4)
        big       BigInt   @default(autoincrement())
        ok        Boolean  @default(false) @map("is_ok")
        tags      String[]
        note      String?  @unique(map: "things_note_key")
        createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)
        updatedAt DateTime @updatedAt
        data      Json?
      }
    `);

    expect(parsed.table).toBe("Thing");
    expect(parsed.scalars.map((f) => [f.name, f.type, f.isList, f.isOptional, f.column])).toEqual([
      ["id", "String", false, false, "id"],
      ["count", "Int", false, false, "count"],
      ["big", "BigInt", false, false, "big"],
      ["ok", "Boolean", false, false, "is_ok"],
      ["tags", "String", true, false, "tags"],
      ["note", "String", false, true, "note"],
      ["createdAt", "DateTime", false, false, "created_at"],
      ["updatedAt", "DateTime", false, false, "updatedAt"],
      ["data", "Json", false, true, "data"],
    ]);
    const [id, count, big, ok, tags, note, createdAt, updatedAt] = parsed.scalars;
    expect(id).toMatchObject({
      isId: true,
      nativeType: { name: "Uuid", args: [] },
      default: { kind: "call", name: "dbgenerated", args: [{ name: null, value: { kind: "string", value: "gen_random_uuid()" } }] },
    });
    expect(count!.default).toEqual({ kind: "word", value: "4" });
    expect(big!.default).toEqual({ kind: "call", name: "autoincrement", args: [] });
    expect(ok!.default).toEqual({ kind: "word", value: "false" });
    expect(tags).toMatchObject({ default: null, unique: null, isId: false });
    expect(note!.unique).toEqual({ map: "things_note_key" });
    expect(createdAt).toMatchObject({ nativeType: { name: "Timestamptz", args: ["6"] }, default: { kind: "call", name: "now" } });
    expect(updatedAt).toMatchObject({ isUpdatedAt: true, default: null });
  });

  it("reads block attributes: @@map, @@id, @@unique and @@index with sort options and map names", () => {
    const parsed = model(`
      model Membership {
        teamId String
        userId String
        joined DateTime

        @@id([teamId, userId])
        @@unique([userId, teamId], map: "membership_user_team_key")
        @@index([joined(sort: Desc), teamId], map: "idx_membership_joined")
        @@index([userId])
        @@map("memberships")
      }
    `);

    expect(parsed).toMatchObject({
      table: "memberships",
      id: { fields: ["teamId", "userId"], map: null },
      uniques: [{ fields: ["userId", "teamId"], map: "membership_user_team_key" }],
      indexes: [
        { fields: ["joined", "teamId"], map: "idx_membership_joined" },
        { fields: ["userId"], map: null },
      ],
    });
  });

  it("keeps relation fields apart from columns, with the foreign key's fields and actions", () => {
    const schema = parsePrismaSchema(`
      model Author {
        id    Int    @id
        books Book[]
      }
      model Book {
        id       Int     @id
        authorId Int     @map("author_id")
        author   Author  @relation(fields: [authorId], references: [id], onDelete: Cascade, map: "book_author_fk")
        editor   Author? @relation("edits", fields: [editorId], references: [id])
        editorId Int?
      }
    `);

    const [author, book] = schema.models;
    expect(author!.scalars.map((f) => f.name)).toEqual(["id"]);
    expect(author!.relations).toEqual([
      { name: "books", type: "Book", isList: true, isOptional: false, fields: [], references: [], onDelete: null, onUpdate: null, map: null },
    ]);
    expect(book!.scalars.map((f) => f.name)).toEqual(["id", "authorId", "editorId"]);
    expect(book!.relations).toEqual([
      { name: "author", type: "Author", isList: false, isOptional: false, fields: ["authorId"], references: ["id"], onDelete: "Cascade", onUpdate: null, map: "book_author_fk" },
      { name: "editor", type: "Author", isList: false, isOptional: true, fields: ["editorId"], references: ["id"], onDelete: null, onUpdate: null, map: null },
    ]);
  });

  it("reads enums with @@map and mapped values, in order, and knows enum-typed fields", () => {
    const schema = parsePrismaSchema(`
      enum Status {
        queued
        running  @map("in_progress")
        done

        @@map("job_status")
      }
      model Job {
        id     Int    @id
        status Status @default(queued)
      }
    `);

    expect(schema.enums).toEqual([
      {
        name: "Status",
        dbName: "job_status",
        values: [
          { name: "queued", dbName: "queued" },
          { name: "running", dbName: "in_progress" },
          { name: "done", dbName: "done" },
        ],
      },
    ]);
    expect(schema.models[0]!.scalars[1]).toMatchObject({ type: "Status", isEnum: true, default: { kind: "word", value: "queued" } });
  });

  it("ignores comments, doc comments, generator and datasource blocks, and // inside strings", () => {
    const schema = parsePrismaSchema(`
      // The model.
      generator client {
        provider = "prisma-client"
        output   = "../lib/generated/prisma"
        previewFeatures = ["views"]
      }
      datasource db {
        provider = "postgresql"
      }
      /// A site.
      model Site {
        /// Where it lives; not a comment: "//".
        url String @id @default("https://example.com/a//b") // trailing
      }
    `);

    expect(schema.models[0]!.scalars).toEqual([
      expect.objectContaining({ name: "url", default: { kind: "string", value: "https://example.com/a//b" } }),
    ]);
  });

  it("allows an attribute's arguments to span lines", () => {
    const parsed = model(`
      model Row {
        a Int @id
        b Int
        @@index(
          [a, b],
          map: "idx_rows"
        )
      }
    `);

    expect(parsed.indexes).toEqual([{ fields: ["a", "b"], map: "idx_rows", where: null }]);
  });

  it("reads a partial index's raw condition", () => {
    const parsed = model(`
      model Row {
        a Int @id
        b String?
        @@index([b], map: "idx_rows_b", where: raw("b IS NOT NULL AND b <> 'x'"))
      }
    `);

    expect(parsed.indexes).toEqual([{ fields: ["b"], map: "idx_rows_b", where: "b IS NOT NULL AND b <> 'x'" }]);
  });

  it.each([
    ["an unknown field type", `model A {\n  id Int @id\n  x Money\n}`, /line 3: unknown type Money for A\.x/],
    ["Unsupported(...)", `model A {\n  id Int @id\n  g Unsupported("geometry")\n}`, /line 3: unsupported type Unsupported/],
    ["an unknown field attribute", `model A {\n  id Int @id @ignore\n}`, /line 2: unsupported @ignore on field id/],
    ["an unknown block attribute", `model A {\n  id Int @id\n  @@fulltext([id])\n}`, /line 3: unsupported @@fulltext in model A/],
    ["a view", `view V {\n  id Int\n}`, /line 1: unsupported block "view V"/],
    ["an unclosed model", `model A {\n  id Int @id\n`, /block is not closed/],
    ["an unterminated string", `model A {\n  id String @id @default("x)\n}`, /line 2: unterminated string/],
    ["junk after a field", `model A {\n  id Int @id ]\n}`, /line 2: unexpected "\]"/],
    ["a partial index without raw()", `model A {\n  id Int @id\n  b Boolean\n  @@index([id], where: "b")\n}`, /line 4: where: in @@index takes raw/],
  ])("refuses %s with the line number", (_, source, message) => {
    expect(() => parsePrismaSchema(source)).toThrow(PrismaSchemaParseError);
    expect(() => parsePrismaSchema(source)).toThrow(message);
  });

  it("parses Fleetpin's own schema.prisma", () => {
    const schema = parsePrismaSchema(readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8"));

    expect(schema.models.map((m) => m.table).sort()).toEqual([
      "audit_log",
      "login_throttle",
      "operation_items",
      "operations",
      "runtime_image_pin_history",
      "runtime_image_pins",
      "sessions",
      "users",
      "workspaces",
    ]);
    expect(schema.enums.find((e) => e.name === "WorkspaceStatus")).toEqual({
      name: "WorkspaceStatus",
      dbName: "workspace_status",
      values: ["provisioning", "online", "offline", "degraded", "failed", "removed", "paused", "hibernated", "awaiting_agent", "hibernating", "down", "unknown"].map(
        (value) => ({ name: value, dbName: value }),
      ),
    });
    const workspace = schema.models.find((m) => m.name === "Workspace")!;
    expect(workspace.scalars).toHaveLength(15);
    expect(workspace.scalars.find((f) => f.name === "swapState")).toMatchObject({ column: "swap_state", isOptional: true });
    expect(workspace.scalars.find((f) => f.name === "runtimeImageDigest")).toMatchObject({ column: "runtime_image_digest", isOptional: true });
    expect(workspace.indexes[0]).toEqual({
      fields: ["runtimeImageDigest"],
      map: "idx_workspaces_runtime_image_digest",
      where: "runtime_image_digest IS NOT NULL",
    });
  });
});
