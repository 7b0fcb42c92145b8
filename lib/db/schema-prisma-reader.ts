// Tokens and a cursor over them for lib/db/schema-prisma.ts: Prisma schema
// syntax (blocks, lines, attributes with arguments), without its meaning.

/** A value inside an attribute: a string, a bare word or number, a call like `now()`, or a list. */
export type PrismaValue =
  | { kind: "string"; value: string }
  | { kind: "word"; value: string }
  | { kind: "call"; name: string; args: PrismaArgument[] }
  | { kind: "list"; items: PrismaValue[] };

export type PrismaArgument = { name: string | null; value: PrismaValue };

/** schema.prisma text that is malformed or uses something outside the supported subset. */
export class PrismaSchemaParseError extends Error {
  constructor(message: string, readonly line: number) {
    super(`schema.prisma line ${line}: ${message}`);
    this.name = "PrismaSchemaParseError";
  }
}

export type Token = { kind: "word" | "string" | "punct" | "newline"; text: string; line: number };

/** `@name`, `@db.Name` or `@@name` with its arguments, and where it stands. */
export type Attribute = { name: string; args: PrismaArgument[]; line: number };

/** Splits schema text into words, strings, punctuation and newlines; comments are dropped. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < source.length; ) {
    const char = source[i]!;
    if (char === "\n") {
      tokens.push({ kind: "newline", text: "\n", line });
      line++;
      i++;
    } else if (/\s/.test(char)) i++;
    else if (source.startsWith("//", i)) while (i < source.length && source[i] !== "\n") i++;
    else if (char === '"') {
      let value = "";
      for (i++; source[i] !== '"'; i++) {
        if (i >= source.length || source[i] === "\n") throw new PrismaSchemaParseError("unterminated string", line);
        if (source[i] === "\\") i++;
        value += source[i];
      }
      tokens.push({ kind: "string", text: value, line });
      i++;
    } else if (source.startsWith("@@", i)) {
      tokens.push({ kind: "punct", text: "@@", line });
      i += 2;
    } else if ("{}()[],:?.@=".includes(char)) {
      tokens.push({ kind: "punct", text: char, line });
      i++;
    } else {
      const match = /^-?[A-Za-z0-9_]+(\.[0-9]+)?/.exec(source.slice(i, i + 200));
      if (!match) throw new PrismaSchemaParseError(`unexpected character ${JSON.stringify(char)}`, line);
      tokens.push({ kind: "word", text: match[0], line });
      i += match[0].length;
    }
  }
  return tokens;
}

/** A cursor over tokens that reads blocks, lines, attributes and values. */
export class TokenReader {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.position >= this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private lastLine(): number {
    return this.tokens[Math.min(this.position, this.tokens.length - 1)]?.line ?? 1;
  }

  skipNewlines(): void {
    while (this.peek()?.kind === "newline") this.position++;
  }

  expect(kind: Token["kind"]): Token {
    const token = this.peek();
    if (!token || token.kind !== kind) {
      throw new PrismaSchemaParseError(`expected a ${kind}, found ${token ? JSON.stringify(token.text) : "the end"}`, this.lastLine());
    }
    this.position++;
    return token;
  }

  peekPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === "punct" && token.text === text;
  }

  acceptPunct(text: string): boolean {
    if (!this.peekPunct(text)) return false;
    this.position++;
    return true;
  }

  expectPunct(text: string): void {
    if (!this.acceptPunct(text)) {
      const token = this.peek();
      throw new PrismaSchemaParseError(`expected "${text}", found ${token ? JSON.stringify(token.text) : "the end"}`, this.lastLine());
    }
  }

  /** Each line of a block up to its closing brace; a newline inside ( ) or [ ] does not end a line. */
  *statements(): Generator<TokenReader> {
    for (;;) {
      this.skipNewlines();
      if (this.acceptPunct("}")) return;
      if (this.done()) throw new PrismaSchemaParseError("block is not closed with }", this.lastLine());
      const start = this.position;
      let depth = 0;
      for (let token = this.peek(); token; token = this.peek()) {
        if (depth === 0 && (token.kind === "newline" || (token.kind === "punct" && token.text === "}"))) break;
        if (token.kind === "punct" && (token.text === "(" || token.text === "[")) depth++;
        if (token.kind === "punct" && (token.text === ")" || token.text === "]")) depth--;
        this.position++;
      }
      yield new TokenReader(this.tokens.slice(start, this.position).filter((token) => token.kind !== "newline"));
    }
  }

  skipBlock(): void {
    for (const statement of this.statements()) void statement;
  }

  end(): void {
    const token = this.peek();
    if (token) throw new PrismaSchemaParseError(`unexpected ${JSON.stringify(token.text)}`, token.line);
  }

  /** `@name`, `@db.Name` or `@@name`, with optional `(arguments)`. */
  attribute(prefix: "@" | "@@"): Attribute {
    this.expectPunct(prefix);
    const first = this.expect("word");
    let name = first.text;
    while (this.acceptPunct(".")) name += `.${this.expect("word").text}`;
    return { name, args: this.peekPunct("(") ? this.argumentList() : [], line: first.line };
  }

  private argumentList(): PrismaArgument[] {
    this.expectPunct("(");
    const args: PrismaArgument[] = [];
    while (!this.acceptPunct(")")) {
      if (args.length > 0) this.expectPunct(",");
      const next = this.tokens[this.position + 1];
      const isNamed = this.peek()?.kind === "word" && next?.kind === "punct" && next.text === ":";
      const name = isNamed ? this.expect("word").text : null;
      if (isNamed) this.expectPunct(":");
      args.push({ name, value: this.value() });
    }
    return args;
  }

  private value(): PrismaValue {
    const token = this.peek();
    if (token?.kind === "string") {
      this.position++;
      return { kind: "string", value: token.text };
    }
    if (this.acceptPunct("[")) {
      const items: PrismaValue[] = [];
      while (!this.acceptPunct("]")) {
        if (items.length > 0) this.expectPunct(",");
        items.push(this.value());
      }
      return { kind: "list", items };
    }
    const name = this.expect("word").text;
    return this.peekPunct("(") ? { kind: "call", name, args: this.argumentList() } : { kind: "word", value: name };
  }
}
