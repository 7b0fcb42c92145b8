// Reads schema.prisma text into what its migrations must have built (tables,
// columns, keys, indexes, foreign keys, enums), for lib/db/schema-agreement.test.ts.
// Test-only: nothing at run time reads the schema.
//
// Two maintained readers, because neither alone carries everything:
// - @prisma/prisma-schema-wasm's get_dmmf is Prisma's own schema engine compiled to
//   wasm (no native binary): it validates the schema exactly as `prisma generate` does
//   and resolves field types, enums, @map names, native types, defaults, keys, indexes
//   and relations. Pinned to the engine build of @prisma/client 7.10.0 (7.10.0-4.0edf323…):
//   prisma 7.10.1 bundles 8.1.0-1.d1b3f377…, which is not published as this package. Move the
//   pin with Prisma (the version is @prisma/engines-version of the installed @prisma/engines).
// - @mrleebo/prisma-ast parses the schema's syntax; it supplies the two things the DMMF
//   leaves out and the database holds: a partial index's `where: raw("…")` and a
//   foreign key's `map:` name.
import {
  getSchema,
  type Attribute,
  type AttributeArgument,
  type BlockAttribute,
  type Field,
  type Func,
  type Model,
} from "@mrleebo/prisma-ast";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import { z } from "zod";

/** `@default(…)`: a function such as now() or dbgenerated("…"), or a literal value. */
export type SchemaDefault = { kind: "function"; name: string; args: unknown[] } | { kind: "value"; value: unknown };

/** One field that is a column: a built-in scalar or an enum. */
export type SchemaColumn = {
  field: string;
  column: string;
  type: string;
  isEnum: boolean;
  isList: boolean;
  isOptional: boolean;
  nativeType: { name: string; args: string[] } | null;
  default: SchemaDefault | null;
};

/** A primary key, unique constraint or index; `map` is null when Prisma names it by its convention. */
export type SchemaIndex = {
  kind: "id" | "unique" | "index";
  fields: string[];
  map: string | null;
  where: string | null;
};

/** The side of a relation that owns the foreign key (the one with `fields:`). */
export type SchemaForeignKey = {
  field: string;
  target: string;
  isOptional: boolean;
  fields: string[];
  references: string[];
  onDelete: string | null;
  onUpdate: string | null;
  map: string | null;
};

export type SchemaModel = {
  name: string;
  table: string;
  columns: SchemaColumn[];
  indexes: SchemaIndex[];
  foreignKeys: SchemaForeignKey[];
};
export type SchemaEnum = { name: string; dbName: string; values: { name: string; dbName: string }[] };
export type PrismaSchema = { models: SchemaModel[]; enums: SchemaEnum[] };

/** schema.prisma text that Prisma refuses, or that uses something this reader cannot hold against the database. */
export class PrismaSchemaError extends Error {
  override name = "PrismaSchemaError";
}

// The part of get_dmmf's JSON this reader uses, checked so a change in a new Prisma fails here, loudly.
const dmmfField = z.object({
  name: z.string(),
  dbName: z.string().nullish(),
  kind: z.enum(["scalar", "enum", "object", "unsupported"]),
  type: z.string(),
  isList: z.boolean(),
  isRequired: z.boolean(),
  nativeType: z.tuple([z.string(), z.array(z.string())]).nullish(),
  default: z.unknown().optional(),
  relationFromFields: z.array(z.string()).optional(),
  relationToFields: z.array(z.string()).optional(),
  relationOnDelete: z.string().optional(),
  relationOnUpdate: z.string().optional(),
});
const dmmfIndex = z.object({
  model: z.string(),
  type: z.enum(["id", "unique", "normal", "fulltext"]),
  isDefinedOnField: z.boolean(),
  dbName: z.string().nullish(),
  fields: z.array(z.object({ name: z.string() })),
});
const dmmf = z.object({
  datamodel: z.object({
    models: z.array(z.object({ name: z.string(), dbName: z.string().nullable(), fields: z.array(dmmfField) })),
    enums: z.array(
      z.object({
        name: z.string(),
        dbName: z.string().nullish(),
        values: z.array(z.object({ name: z.string(), dbName: z.string().nullable() })),
      }),
    ),
    indexes: z.array(dmmfIndex),
  }),
});
/** A DMMF default that is a function: `{ name: "now", args: [] }`; any other default is a literal. */
const defaultCall = z.object({ name: z.string(), args: z.array(z.unknown()) });
type DmmfField = z.infer<typeof dmmfField>;
type DmmfIndex = z.infer<typeof dmmfIndex>;

const INDEX_KINDS = { id: "id", unique: "unique", normal: "index", fulltext: null } as const;

/** Reads schema.prisma text; throws PrismaSchemaError with Prisma's own message when the schema is invalid. */
export function readPrismaSchema(text: string): PrismaSchema {
  const { datamodel } = dmmf.parse(dmmfJson(text));
  const syntax = getSchema(text).list.filter((block): block is Model => block.type === "model");
  const enumNames = new Set(datamodel.enums.map((e) => e.name));
  const models = datamodel.models.map((model): SchemaModel => {
    const block = syntax.find((b) => b.name === model.name);
    if (!block) throw new PrismaSchemaError(`model ${model.name} is in the DMMF but prisma-ast did not find it`);
    return {
      name: model.name,
      table: model.dbName ?? model.name,
      columns: model.fields.filter((f) => f.kind !== "object").map((f) => column(f, enumNames)),
      indexes: datamodel.indexes.filter((i) => i.model === model.name).map((i) => index(i, block)),
      foreignKeys: model.fields
        .filter((f) => f.kind === "object" && f.relationFromFields?.length)
        .map((f) => foreignKey(f, block)),
    };
  });
  const enums = datamodel.enums.map((e) => ({
    name: e.name,
    dbName: e.dbName ?? e.name,
    values: e.values.map((v) => ({ name: v.name, dbName: v.dbName ?? v.name })),
  }));
  return { models, enums };
}

function dmmfJson(text: string): unknown {
  try {
    return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", text]], noColor: true })));
  } catch (error) {
    // The wasm throws an Error whose message is JSON ({ error_code, message }); keep Prisma's message.
    const raw = error instanceof Error ? error.message : String(error);
    let message = raw;
    try {
      message = (JSON.parse(raw) as { message?: string }).message ?? raw;
    } catch {
      // Not JSON: Prisma's text is the message as it is.
    }
    throw new PrismaSchemaError(`schema.prisma is not valid: ${message}`);
  }
}

function column(field: DmmfField, enumNames: Set<string>): SchemaColumn {
  const call = defaultCall.safeParse(field.default);
  const fieldDefault: SchemaDefault | null = call.success
    ? { kind: "function", ...call.data }
    : field.default === undefined
      ? null
      : { kind: "value", value: field.default };
  return {
    field: field.name,
    column: field.dbName ?? field.name,
    type: field.type,
    isEnum: enumNames.has(field.type),
    isList: field.isList,
    isOptional: !field.isRequired,
    nativeType: field.nativeType ? { name: field.nativeType[0], args: field.nativeType[1] } : null,
    default: fieldDefault,
  };
}

function index(entry: DmmfIndex, block: Model): SchemaIndex {
  const kind = INDEX_KINDS[entry.type];
  if (!kind) throw new PrismaSchemaError(`${entry.model}: @@fulltext is not supported by the agreement test`);
  const fields = entry.fields.map((f) => f.name);
  const map = entry.dbName ?? null;
  // Only a block @@index/@@unique can be partial; find it by kind, fields and name (Prisma refuses two alike).
  const source = entry.isDefinedOnField || kind === "id" ? undefined : blockAttribute(block, kind, fields, map);
  return { kind, fields, map, where: source ? rawWhere(source, entry.model) : null };
}

function blockAttribute(block: Model, kind: "unique" | "index", fields: string[], map: string | null): BlockAttribute {
  const found = block.properties.filter(
    (p): p is BlockAttribute =>
      p.type === "attribute" &&
      p.name === kind &&
      JSON.stringify(fieldList(p.args)) === JSON.stringify(fields) &&
      (stringArg(p.args, "map") ?? null) === map,
  );
  if (found.length !== 1)
    throw new PrismaSchemaError(
      `${block.name}: found ${found.length} @@${kind}([${fields.join(", ")}]) in the syntax, expected 1`,
    );
  return found[0]!;
}

/** `where: raw("…")` as written; the object form of `where:` is refused rather than ignored. */
function rawWhere(attribute: BlockAttribute, model: string): string | null {
  const where = argument(attribute.args, "where");
  if (where === undefined) return null;
  const call = where as Partial<Func>;
  if (call.type === "function" && call.name === "raw" && call.params?.length === 1) return unquote(call.params[0]);
  throw new PrismaSchemaError(
    `${model}: @@${attribute.name} where: must be raw("<SQL condition>") for the agreement test`,
  );
}

function foreignKey(field: DmmfField, block: Model): SchemaForeignKey {
  const syntax = block.properties.find((p): p is Field => p.type === "field" && p.name === field.name);
  const relation = syntax?.attributes?.find((a: Attribute) => a.name === "relation");
  return {
    field: field.name,
    target: field.type,
    isOptional: !field.isRequired,
    fields: field.relationFromFields ?? [],
    references: field.relationToFields ?? [],
    onDelete: field.relationOnDelete ?? null,
    onUpdate: field.relationOnUpdate ?? null,
    map: relation ? (stringArg(relation.args ?? [], "map") ?? null) : null,
  };
}

function argument(args: AttributeArgument[], key: string): unknown {
  for (const arg of args) {
    const value = arg.value;
    if (
      typeof value === "object" &&
      value !== null &&
      "type" in value &&
      value.type === "keyValue" &&
      value.key === key
    )
      return value.value;
  }
  return undefined;
}

/** The positional [a, b] list or `fields: [a, b]`; `a(sort: Desc)` counts as `a`. */
function fieldList(args: AttributeArgument[]): string[] {
  const first = args[0]?.value;
  const list =
    typeof first === "object" && first !== null && "type" in first && first.type === "array"
      ? first
      : argument(args, "fields");
  if (typeof list !== "object" || list === null || !("args" in list) || !Array.isArray(list.args)) return [];
  return list.args.map((item: unknown) =>
    typeof item === "object" && item !== null && "name" in item ? String(item.name) : String(item),
  );
}

function stringArg(args: AttributeArgument[], key: string): string | undefined {
  const value = argument(args, key);
  return typeof value === "string" ? unquote(value) : undefined;
}

/** prisma-ast keeps string literals with their quotes and escapes; Prisma strings escape like JSON. */
function unquote(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith('"'))
    throw new PrismaSchemaError(`expected a string literal, got ${JSON.stringify(value)}`);
  return JSON.parse(value) as string;
}
