import { describe, expect, it } from "vitest";

import { PrismaSchemaError, readPrismaSchema, type SchemaModel } from "./prisma-schema";

const HEADER = `datasource db {
  provider = "postgresql"
}

generator client {
  provider        = "prisma-client"
  previewFeatures = ["partialIndexes"]
}
`;

const BLOG = `${HEADER}
enum Role {
  admin
  reader @map("READER")

  @@map("role")
}

model Author {
  id      String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  email   String   @unique(map: "authors_email_key")
  role    Role     @default(reader)
  visits  Int      @default(0)
  tags    String[]
  meta    Json     @default("{}")
  born    DateTime @default(now()) @map("born_at") @db.Timestamptz(6)
  posts   Post[]

  @@map("authors")
}

model Post {
  id       BigInt  @id @default(autoincrement())
  authorId String  @map("author_id") @db.Uuid
  slug     String  @db.VarChar(80)
  draft    Boolean @default(true)
  author   Author  @relation(fields: [authorId], references: [id], onDelete: Cascade, map: "posts_author_fk")

  @@unique([authorId, slug])
  @@index([slug], map: "idx_posts_live", where: raw("draft = false"))
  @@index([authorId, draft])
}

model Tag {
  a Int
  b Int

  @@id([a, b], map: "tag_pk")
}
`;

const model = (name: string): SchemaModel => readPrismaSchema(BLOG).models.find((m) => m.name === name)!;

describe("readPrismaSchema", () => {
  it("reads a model's table and columns: @map names, types, lists, optionality, native types and defaults", () => {
    expect(model("Author").table).toBe("authors");
    expect(model("Author").columns).toEqual([
      {
        field: "id",
        column: "id",
        type: "String",
        isEnum: false,
        isList: false,
        isOptional: false,
        nativeType: { name: "Uuid", args: [] },
        default: { kind: "function", name: "dbgenerated", args: ["gen_random_uuid()"] },
      },
      {
        field: "email",
        column: "email",
        type: "String",
        isEnum: false,
        isList: false,
        isOptional: false,
        nativeType: null,
        default: null,
      },
      {
        field: "role",
        column: "role",
        type: "Role",
        isEnum: true,
        isList: false,
        isOptional: false,
        nativeType: null,
        default: { kind: "value", value: "reader" },
      },
      {
        field: "visits",
        column: "visits",
        type: "Int",
        isEnum: false,
        isList: false,
        isOptional: false,
        nativeType: null,
        default: { kind: "value", value: 0 },
      },
      {
        field: "tags",
        column: "tags",
        type: "String",
        isEnum: false,
        isList: true,
        isOptional: false,
        nativeType: null,
        default: null,
      },
      {
        field: "meta",
        column: "meta",
        type: "Json",
        isEnum: false,
        isList: false,
        isOptional: false,
        nativeType: null,
        default: { kind: "value", value: "{}" },
      },
      {
        field: "born",
        column: "born_at",
        type: "DateTime",
        isEnum: false,
        isList: false,
        isOptional: false,
        nativeType: { name: "Timestamptz", args: ["6"] },
        default: { kind: "function", name: "now", args: [] },
      },
    ]);
  });

  it.each<[string, string, SchemaModel["indexes"]]>([
    [
      "field @id and @unique(map:)",
      "Author",
      [
        { kind: "id", fields: ["id"], map: null, where: null },
        { kind: "unique", fields: ["email"], map: "authors_email_key", where: null },
      ],
    ],
    [
      "compound @@unique, a partial @@index (where: raw from prisma-ast) and an unnamed @@index",
      "Post",
      [
        { kind: "id", fields: ["id"], map: null, where: null },
        { kind: "index", fields: ["slug"], map: "idx_posts_live", where: "draft = false" },
        { kind: "index", fields: ["authorId", "draft"], map: null, where: null },
        { kind: "unique", fields: ["authorId", "slug"], map: null, where: null },
      ],
    ],
    ["a named compound @@id", "Tag", [{ kind: "id", fields: ["a", "b"], map: "tag_pk", where: null }]],
  ])("reads %s", (_, name, indexes) => {
    expect(model(name).indexes).toEqual(indexes);
  });

  it("reads the owning side of a relation as a foreign key, with its map: name from prisma-ast", () => {
    expect(model("Post").foreignKeys).toEqual([
      {
        field: "author",
        target: "Author",
        isOptional: false,
        fields: ["authorId"],
        references: ["id"],
        onDelete: "Cascade",
        onUpdate: null,
        map: "posts_author_fk",
      },
    ]);
    expect(model("Author").foreignKeys).toEqual([]);
  });

  it("reads enums with their database names", () => {
    expect(readPrismaSchema(BLOG).enums).toEqual([
      {
        name: "Role",
        dbName: "role",
        values: [
          { name: "admin", dbName: "admin" },
          { name: "reader", dbName: "READER" },
        ],
      },
    ]);
  });

  it.each([
    ["an unknown type", `${HEADER}\nmodel A {\n  id Intt @id\n}\n`, /Type "Intt" is neither a built-in type/],
    [
      "a relation without its other side",
      `${HEADER}\nmodel A {\n  id Int @id\n  b B @relation(fields: [id], references: [id])\n}\nmodel B {\n  id Int @id\n}\n`,
      /missing an opposite relation field/,
    ],
    [
      "a where: that is not raw()",
      BLOG.replace('where: raw("draft = false")', "where: { draft: false }"),
      /where: must be raw/,
    ],
  ])("refuses %s with a clear message", (_, text, message) => {
    expect(() => readPrismaSchema(text)).toThrow(PrismaSchemaError);
    expect(() => readPrismaSchema(text)).toThrow(message);
  });
});
