/**
 * Finds references to a config field in the user's Python, for `field rename` and `field
 * remove`. Three shapes are rewritten on rename, because their meaning is certain: attribute
 * access on a config (`config.old`, `self.task_config.old`), keyword arguments of a config
 * class (`AcmeConfig(old=1)`) and keys of `custom` (`custom["old"]`, `tt.custom.get("old")`). Any other use of the name in code or strings is
 * listed with file:line for the user to check; comments are left alone.
 */

interface Token {
  readonly kind: "comment" | "string" | "name" | "op";
  readonly text: string;
  readonly start: number;
}

const TOKEN = /(#[^\n]*)|((?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?'''|"""[\s\S]*?"""|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))|([A-Za-z_][A-Za-z0-9_]*)|(\S)/g;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  for (const match of source.matchAll(TOKEN)) {
    const kind = match[1] ? "comment" : match[2] ? "string" : match[3] ? "name" : "op";
    tokens.push({ kind, text: match[0], start: match.index });
  }
  return tokens;
}

/** A plain string token's value when it has no escapes or f-string parts: `"old"` -> `old`. */
function plainStringValue(token: Token): string | undefined {
  const match = /^([rRuU]?)(['"])([A-Za-z0-9_]*)\2$/.exec(token.text);
  return match?.[3];
}

export interface Reference {
  readonly line: number;
  readonly text: string;
}

export interface ScanResult {
  /** The source with certain references rewritten (equal to the input when renaming is off). */
  readonly source: string;
  readonly rewritten: number;
  /** Uses of the name that were not rewritten. */
  readonly leftOver: readonly Reference[];
}

function lineAt(source: string, offset: number): Reference {
  const line = source.slice(0, offset).split("\n").length;
  return { line, text: source.split("\n")[line - 1]!.trim() };
}

function isConfigAccess(code: readonly Token[], index: number): boolean {
  const dot = code[index - 1];
  const receiver = code[index - 2];
  return dot?.text === "." && receiver?.kind === "name" && /config$/i.test(receiver.text);
}

/** `Config(old=...)`: a keyword argument in a call to a class whose name ends in Config. */
function isConfigKeyword(code: readonly Token[], index: number): boolean {
  if (code[index + 1]?.text !== "=" || code[index + 2]?.text === "=") return false;
  let depth = 0;
  for (let at = index - 1; at >= 0; at--) {
    const text = code[at]!.text;
    if (text === ")" || text === "]" || text === "}") depth++;
    else if (text === "(" || text === "[" || text === "{") {
      if (depth === 0) return text === "(" && code[at - 1]?.kind === "name" && /Config$/.test(code[at - 1]!.text);
      depth--;
    }
  }
  return false;
}

function isCustomKey(code: readonly Token[], index: number): boolean {
  const before = code[index - 1];
  if (before?.text === "[") return /custom$/i.test(code[index - 2]?.text ?? "");
  return before?.text === "(" && code[index - 2]?.text === "get" && code[index - 3]?.text === "." && /custom$/i.test(code[index - 4]?.text ?? "");
}

/** Scans `source` for `name`; with `renameTo`, rewrites the certain references. */
export function scanReferences(source: string, name: string, renameTo?: string): ScanResult {
  const code = tokenize(source).filter((token) => token.kind !== "comment");
  const edits: { start: number; end: number; text: string }[] = [];
  const leftOver: Reference[] = [];
  code.forEach((token, index) => {
    const isName = token.kind === "name" && token.text === name;
    const isKey = token.kind === "string" && plainStringValue(token) === name;
    const mentions = token.kind === "string" && !isKey && new RegExp(`\\b${name}\\b`).test(token.text);
    if (renameTo !== undefined && isName && (isConfigAccess(code, index) || isConfigKeyword(code, index))) {
      edits.push({ start: token.start, end: token.start + token.text.length, text: renameTo });
    } else if (renameTo !== undefined && isKey && isCustomKey(code, index)) {
      edits.push({ start: token.start, end: token.start + token.text.length, text: token.text.replace(name, renameTo) });
    } else if (isName || isKey || mentions) {
      leftOver.push(lineAt(source, token.start));
    }
  });
  let rewrittenSource = source;
  for (const edit of edits.reverse()) {
    rewrittenSource = rewrittenSource.slice(0, edit.start) + edit.text + rewrittenSource.slice(edit.end);
  }
  return { source: rewrittenSource, rewritten: edits.length, leftOver: dedupe(leftOver) };
}

function dedupe(references: readonly Reference[]): Reference[] {
  const seen = new Set<number>();
  return references.filter((reference) => !seen.has(reference.line) && seen.add(reference.line));
}
