/**
 * Parses a default value written on the command line "as in Python or JSON":
 * `3`, `2.5`, `true`/`True`, `"text"`/`'text'`, `["a", 'b']`, `{"k": 1}`, `None`/`null`.
 * A small recursive-descent parser, because JSON.parse rejects the Python spellings.
 */
import type { PyValue } from "./python.js";

export class LiteralSyntaxError extends Error {}

/** The rules the schema applies while parsing: the parser itself only knows the syntax. */
export interface LiteralRules {
  /** Brackets may nest this deep; deeper input is refused before the stack could overflow. */
  readonly maxDepth: number;
  /** The broken rule for a number's text (checked before converting, which may round), if any. */
  readonly numberProblem: (text: string) => string | undefined;
}

const NO_RULES: LiteralRules = { maxDepth: Infinity, numberProblem: () => undefined };

export function parseLiteral(text: string, rules: LiteralRules = NO_RULES): PyValue | null {
  const parser = new LiteralParser(text, rules);
  const value = parser.value();
  parser.end();
  return value;
}

const WORDS: Readonly<Record<string, boolean | null>> = {
  true: true,
  True: true,
  false: false,
  False: false,
  null: null,
  None: null,
};

class LiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly rules: LiteralRules,
  ) {}

  value(): PyValue | null {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === "[" || char === "{") return this.nested(char);
    if (char === '"' || char === "'") return this.string();
    if (char !== undefined && /[-+0-9.]/.test(char)) return this.number();
    return this.word();
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text.slice(this.pos)}"`);
  }

  private nested(char: "[" | "{"): PyValue {
    if (++this.depth > this.rules.maxDepth) this.fail(`nested deeper than ${this.rules.maxDepth} levels`);
    const value = char === "[" ? this.list() : this.dict();
    this.depth--;
    return value;
  }

  private list(): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    while (!this.eat("]")) {
      items.push(this.nonNull());
      if (!this.eat(",")) {
        this.expect("]");
        break;
      }
    }
    return items;
  }

  private dict(): { [key: string]: PyValue } {
    this.pos++;
    const entries: { [key: string]: PyValue } = {};
    while (!this.eat("}")) {
      this.skipSpace();
      const key = this.string();
      this.expect(":");
      // defineProperty, not assignment: a key such as "__proto__" is data here.
      Object.defineProperty(entries, key, { value: this.nonNull(), enumerable: true, writable: true, configurable: true });
      if (!this.eat(",")) {
        this.expect("}");
        break;
      }
    }
    return entries;
  }

  private nonNull(): PyValue {
    const value = this.value();
    if (value === null) this.fail("None is not allowed inside a list or dict");
    return value;
  }

  private string(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail("expected a quoted string");
    let out = "";
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const char = this.text[this.pos]!;
      if (char === quote) {
        this.pos++;
        return out;
      }
      out += char === "\\" ? this.escape() : char;
    }
    return this.fail("unterminated string");
  }

  private escape(): string {
    this.pos++;
    const char = this.text[this.pos];
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "'": "'", "/": "/", b: "\b", f: "\f" };
    if (char !== undefined && char in simple) return simple[char]!;
    if (char === "u" || char === "x") {
      const width = char === "u" ? 4 : 2;
      const digits = this.text.slice(this.pos + 1, this.pos + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) this.fail(`bad \\${char} escape`);
      this.pos += width;
      return String.fromCharCode(parseInt(digits, 16));
    }
    return this.fail(`unknown escape \\${char ?? ""}`);
  }

  private number(): number {
    const match = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.pos));
    if (!match) this.fail(`"${this.text.slice(this.pos)}" is not a number`);
    this.pos += match[0].length;
    const problem = this.rules.numberProblem(match[0]);
    if (problem !== undefined) this.fail(problem);
    return Number(match[0]);
  }

  private word(): boolean | null {
    const match = /^[A-Za-z]+/.exec(this.text.slice(this.pos));
    const word = match?.[0];
    if (word === undefined || !(word in WORDS)) this.fail(`"${this.text.slice(this.pos)}" is not a literal`);
    this.pos += word.length;
    return WORDS[word]!;
  }

  private eat(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  private expect(char: string): void {
    if (!this.eat(char)) this.fail(`expected "${char}"`);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }

  private fail(message: string): never {
    throw new LiteralSyntaxError(message);
  }
}
