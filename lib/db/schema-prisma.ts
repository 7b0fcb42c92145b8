// A parser for the subset of the Prisma schema language Fleetpin uses, so a
// test can hold schema.prisma against what the migrations really built. Pure:
// it reads text, never files. Anything outside the subset is an error, never
// silently skipped, so the agreement test cannot pass by not looking.

import {
  PrismaSchemaParseError,
  tokenize,
  TokenReader,
  type Attribute,
  type PrismaArgument,
  type PrismaValue,
} from "@/lib/db/schema-prisma-reader";

export { PrismaSchemaParseError, type PrismaArgument, type PrismaValue };

/** One field that is a column: a built-in scalar or an enum. */
export type PrismaScalarField = {
  name: string;
  type: string;
  isEnum: boolean;
  isList: boolean;
  isOptional: boolean;
  column: string;
  isId: boolean;
  unique: { map: string | null } | null;
  default: PrismaValue | null;
  isUpdatedAt: boolean;
  nativeType: { name: string; args: string[] } | null;
};

/** A field whose type is another model; only the side with `fields:` owns a foreign key. */
export type PrismaRelationField = {
  name: string;
  type: string;
  isList: boolean;
  isOptional: boolean;
  fields: string[];
  references: string[];
  onDelete: string | null;
  onUpdate: string | null;
  map: string | null;
};

/**
 * `@@index`, `@@unique` or `@@id`: field names in order, the optional database name and,
 * for a partial index, its `where: raw("…")` condition as written.
 */
export type PrismaIndex = { fields: string[]; map: string | null; where: string | null };

export type PrismaModel = {
  name: string;
  table: string;
  scalars: PrismaScalarField[];
  relations: PrismaRelationField[];
  id: PrismaIndex | null;
  uniques: PrismaIndex[];
  indexes: PrismaIndex[];
};

export type PrismaEnum = { name: string; dbName: string; values: { name: string; dbName: string }[] };

export type PrismaSchema = { models: PrismaModel[]; enums: PrismaEnum[] };

export const PRISMA_SCALAR_TYPES = ["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"] as const;

type RawField = { name: string; type: string; isList: boolean; isOptional: boolean; attributes: Attribute[]; line: number };
type RawModel = { name: string; line: number; fields: RawField[]; blockAttributes: Attribute[] };

/** Parses schema.prisma text into its models (with columns, keys, indexes, relations) and enums. */
export function parsePrismaSchema(source: string): PrismaSchema {
  const reader = new TokenReader(tokenize(source));
  const models: RawModel[] = [];
  const enums: PrismaEnum[] = [];
  for (reader.skipNewlines(); !reader.done(); reader.skipNewlines()) {
    const keyword = reader.expect("word");
    const name = reader.expect("word").text;
    reader.expectPunct("{");
    if (keyword.text === "model") models.push(parseModel(reader, name, keyword.line));
    else if (keyword.text === "enum") enums.push(parseEnum(reader, name));
    else if (keyword.text === "generator" || keyword.text === "datasource") reader.skipBlock();
    else throw new PrismaSchemaParseError(`unsupported block "${keyword.text} ${name}"`, keyword.line);
  }
  const modelNames = new Set(models.map((model) => model.name));
  const enumNames = new Set(enums.map((e) => e.name));
  return { models: models.map((model) => resolveModel(model, modelNames, enumNames)), enums };
}

function parseModel(reader: TokenReader, name: string, line: number): RawModel {
  const model: RawModel = { name, line, fields: [], blockAttributes: [] };
  for (const statement of reader.statements()) {
    if (statement.peekPunct("@@")) {
      model.blockAttributes.push(statement.attribute("@@"));
      statement.end();
      continue;
    }
    const fieldName = statement.expect("word");
    const type = statement.expect("word");
    if (statement.peekPunct("(")) throw new PrismaSchemaParseError(`unsupported type ${type.text}(...) for field ${fieldName.text}`, type.line);
    const isList = statement.acceptPunct("[") ? (statement.expectPunct("]"), true) : false;
    const isOptional = statement.acceptPunct("?");
    const attributes: Attribute[] = [];
    while (statement.peekPunct("@")) attributes.push(statement.attribute("@"));
    statement.end();
    model.fields.push({ name: fieldName.text, type: type.text, isList, isOptional, attributes, line: fieldName.line });
  }
  return model;
}

function parseEnum(reader: TokenReader, name: string): PrismaEnum {
  const parsed: PrismaEnum = { name, dbName: name, values: [] };
  for (const statement of reader.statements()) {
    if (statement.peekPunct("@@")) {
      const attribute = statement.attribute("@@");
      if (attribute.name !== "map") throw new PrismaSchemaParseError(`unsupported @@${attribute.name} in enum ${name}`, attribute.line);
      parsed.dbName = stringArg(attribute);
    } else {
      const value = statement.expect("word").text;
      let dbName = value;
      while (statement.peekPunct("@")) {
        const attribute = statement.attribute("@");
        if (attribute.name !== "map") throw new PrismaSchemaParseError(`unsupported @${attribute.name} on enum value ${value}`, attribute.line);
        dbName = stringArg(attribute);
      }
      parsed.values.push({ name: value, dbName });
    }
    statement.end();
  }
  return parsed;
}

function resolveModel(raw: RawModel, modelNames: Set<string>, enumNames: Set<string>): PrismaModel {
  const model: PrismaModel = { name: raw.name, table: raw.name, scalars: [], relations: [], id: null, uniques: [], indexes: [] };
  for (const field of raw.fields) {
    if (modelNames.has(field.type)) model.relations.push(relationField(field));
    else if (enumNames.has(field.type) || (PRISMA_SCALAR_TYPES as readonly string[]).includes(field.type)) {
      model.scalars.push(scalarField(field, enumNames.has(field.type)));
    } else throw new PrismaSchemaParseError(`unknown type ${field.type} for ${raw.name}.${field.name}`, field.line);
  }
  for (const attribute of raw.blockAttributes) {
    if (attribute.name === "map") model.table = stringArg(attribute);
    else if (attribute.name === "id") model.id = indexArg(attribute);
    else if (attribute.name === "unique") model.uniques.push(indexArg(attribute));
    else if (attribute.name === "index") model.indexes.push(indexArg(attribute));
    else throw new PrismaSchemaParseError(`unsupported @@${attribute.name} in model ${raw.name}`, attribute.line);
  }
  return model;
}

function scalarField(field: RawField, isEnum: boolean): PrismaScalarField {
  const parsed: PrismaScalarField = {
    name: field.name,
    type: field.type,
    isEnum,
    isList: field.isList,
    isOptional: field.isOptional,
    column: field.name,
    isId: false,
    unique: null,
    default: null,
    isUpdatedAt: false,
    nativeType: null,
  };
  for (const attribute of field.attributes) {
    if (attribute.name === "map") parsed.column = stringArg(attribute);
    else if (attribute.name === "id") parsed.isId = true;
    else if (attribute.name === "unique") parsed.unique = { map: namedString(attribute, "map") };
    else if (attribute.name === "default") parsed.default = positional(attribute);
    else if (attribute.name === "updatedAt") parsed.isUpdatedAt = true;
    else if (attribute.name.startsWith("db.")) parsed.nativeType = { name: attribute.name.slice(3), args: attribute.args.map((arg) => word(arg.value, attribute)) };
    else throw new PrismaSchemaParseError(`unsupported @${attribute.name} on field ${field.name}`, attribute.line);
  }
  return parsed;
}

function relationField(field: RawField): PrismaRelationField {
  const relation: PrismaRelationField = {
    name: field.name,
    type: field.type,
    isList: field.isList,
    isOptional: field.isOptional,
    fields: [],
    references: [],
    onDelete: null,
    onUpdate: null,
    map: null,
  };
  for (const attribute of field.attributes) {
    if (attribute.name !== "relation") throw new PrismaSchemaParseError(`unsupported @${attribute.name} on relation field ${field.name}`, attribute.line);
    relation.fields = namedFieldList(attribute, "fields");
    relation.references = namedFieldList(attribute, "references");
    const onDelete = named(attribute, "onDelete");
    const onUpdate = named(attribute, "onUpdate");
    relation.onDelete = onDelete ? word(onDelete, attribute) : null;
    relation.onUpdate = onUpdate ? word(onUpdate, attribute) : null;
    relation.map = namedString(attribute, "map");
  }
  return relation;
}

function positional(attribute: Attribute): PrismaValue {
  const value = attribute.args.find((arg) => arg.name === null)?.value;
  if (!value) throw new PrismaSchemaParseError(`@${attribute.name} needs an argument`, attribute.line);
  return value;
}

function named(attribute: Attribute, name: string): PrismaValue | null {
  return attribute.args.find((arg) => arg.name === name)?.value ?? null;
}

function stringArg(attribute: Attribute): string {
  const value = positional(attribute);
  if (value.kind !== "string") throw new PrismaSchemaParseError(`@${attribute.name} takes a string`, attribute.line);
  return value.value;
}

function namedString(attribute: Attribute, name: string): string | null {
  const value = named(attribute, name);
  if (value && value.kind !== "string") throw new PrismaSchemaParseError(`${name}: in @${attribute.name} takes a string`, attribute.line);
  return value ? value.value : null;
}

function indexArg(attribute: Attribute): PrismaIndex {
  const fields = attribute.args.find((arg) => arg.name === null || arg.name === "fields")?.value;
  if (fields?.kind !== "list") throw new PrismaSchemaParseError(`@@${attribute.name} needs a [field, ...] list`, attribute.line);
  return {
    fields: fields.items.map((item) => fieldRef(item, attribute)),
    map: namedString(attribute, "map") ?? namedString(attribute, "name"),
    where: rawCondition(attribute),
  };
}

/** `where: raw("…")` of a partial index (the raw SQL form; the object form is not supported). */
function rawCondition(attribute: Attribute): string | null {
  const value = named(attribute, "where");
  if (!value) return null;
  const [sql] = value.kind === "call" && value.name === "raw" ? value.args : [];
  if (sql?.value.kind !== "string") throw new PrismaSchemaParseError(`where: in @@${attribute.name} takes raw("<SQL condition>")`, attribute.line);
  return sql.value.value;
}

function namedFieldList(attribute: Attribute, name: string): string[] {
  const value = named(attribute, name);
  if (!value) return [];
  if (value.kind !== "list") throw new PrismaSchemaParseError(`${name}: in @${attribute.name} takes a [field, ...] list`, attribute.line);
  return value.items.map((item) => fieldRef(item, attribute));
}

/** `a` or `a(sort: Desc)` inside an index list. */
function fieldRef(value: PrismaValue, attribute: Attribute): string {
  if (value.kind === "word") return value.value;
  if (value.kind === "call") return value.name;
  throw new PrismaSchemaParseError(`expected a field name in @${attribute.name}`, attribute.line);
}

function word(value: PrismaValue, attribute: Attribute): string {
  if (value.kind !== "word") throw new PrismaSchemaParseError(`expected a bare word or number in @${attribute.name}`, attribute.line);
  return value.value;
}
