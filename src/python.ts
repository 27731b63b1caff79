/**
 * Python source helpers shared by the schema rules and the templates: identifier
 * rules and literal rendering. Kept free of heavy imports so the CLI can load it at start-up.
 */

/** Hard keywords: names that can never be identifiers. Soft keywords (match, case, type) are fine. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
  "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
  "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]);

export const PYTHON_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON-like value that a config field can hold as its default. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** A Python string literal in double quotes that evaluates to exactly `text`. */
export function pyString(text: string): string {
  let out = '"';
  for (const char of text) {
    out += escapeChar(char, '"');
  }
  return `${out}"`;
}

function escapeChar(char: string, quote: string): string {
  switch (char) {
    case "\\":
      return "\\\\";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case quote:
      return `\\${quote}`;
    default: {
      const code = char.codePointAt(0) ?? 0;
      // Control characters and lone surrogates would be invisible or invalid in UTF-8 source;
      // bidirectional controls reorder how the source reads (Trojan Source, ruff PLE2502).
      if (isInvisibleChar(code) || (code >= 0xd800 && code <= 0xdfff)) {
        return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
      }
      return char;
    }
  }
}

/**
 * C0 and C1 controls, bidirectional marks and other invisible format characters: text that
 * would hide or reorder what a reader of the generated source (or README) sees.
 */
export function isInvisibleChar(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x00ad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff
  );
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/**
 * The body of a one-line triple-quoted docstring that evaluates to exactly `text`:
 * every quote and backslash escaped, newlines as `\n`, so the docstring stays on one line.
 */
export function pyDocstringBody(text: string): string {
  const chars = [...text];
  // A quote needs escaping only where it could close the docstring: before another quote, or last.
  return chars.map((char, index) => (char === '"' && (index === chars.length - 1 || chars[index + 1] === '"') ? '\\"' : escapeChar(char, ""))).join("");
}

/** A Python literal for `value`; `asFloat` renders whole numbers as `3.0`. */
export function pyLiteral(value: PyValue | null, asFloat = false): string {
  if (value === null) return "None";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pyNumber(value, asFloat);
  if (Array.isArray(value)) return `[${value.map((item) => pyLiteral(item, asFloat)).join(", ")}]`;
  const entries = Object.entries(value).map(([key, item]) => `${pyString(key)}: ${pyLiteral(item, asFloat)}`);
  return `{${entries.join(", ")}}`;
}

function pyNumber(value: number, asFloat: boolean): string {
  const text = String(value);
  if (!asFloat || !Number.isInteger(value)) return text.replace("e+", "e");
  return text.includes("e") ? text.replace("e+", "e") : `${text}.0`;
}

/**
 * JSON text (also a TypeScript literal) with invisible and bidirectional characters as `\uXXXX`
 * escapes, so that flyte-task.config.ts shows no hidden reordering; it parses to the same value.
 */
export function visibleJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/gu, (char) => {
    const code = char.codePointAt(0)!;
    return isInvisibleChar(code) ? `\\u${hex(code, 4)}` : char;
  });
}
