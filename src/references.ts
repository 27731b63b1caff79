/**
 * Finds references to a config field in the user's Python, for `field rename` and `field
 * remove`. Only what is provably the plugin's config is rewritten on rename:
 * - attribute access on `self.task_config`, or on a name whose every binding in its scope makes
 *   it the config: `x = XConfig(...)`, `x = XConfig.from_custom(...)`, `x = self.task_config`,
 *   or an annotation `x: XConfig` (a parameter or a variable), X being the plugin's config class;
 * - keyword arguments of a call to the config class itself (`XConfig(old=1)`);
 * - keys of `custom` (`custom["old"]`, `tt.custom.get("old")`): the serialized config.
 * A name that merely ends in `config` (`db_config.retries`) is not proof: it and any other use of
 * the name in code or strings is listed with file:line for the user to check. Comments are left
 * alone.
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

// ---------------------------------------------------------------------------------------------
// Scopes and bindings: enough of Python's structure to tell which names hold the config.

/** A code token with what the scope analysis needs: its line, bracket depth and whether it starts a statement. */
interface CodeToken extends Token {
  readonly line: number;
  readonly depth: number;
  readonly startsStatement: boolean;
  readonly indent: number;
}

function annotate(source: string, tokens: readonly Token[]): CodeToken[] {
  const lines = source.split("\n");
  const result: CodeToken[] = [];
  let depth = 0;
  let lastLine = 0;
  let line = 1;
  let scanned = 0;
  for (const token of tokens) {
    line += countNewlines(source, scanned, token.start);
    scanned = token.start;
    const startsStatement = depth === 0 && (line !== lastLine || result.at(-1)?.text === ";");
    const indent = /^[ \t]*/.exec(lines[line - 1] ?? "")![0].length;
    if (token.text === ")" || token.text === "]" || token.text === "}") depth = Math.max(0, depth - 1);
    result.push({ ...token, line, depth, startsStatement, indent });
    if (token.text === "(" || token.text === "[" || token.text === "{") depth++;
    lastLine = line + countNewlines(token.text, 0, token.text.length);
  }
  return result;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf("\n", from); at >= 0 && at < to; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/** A `def` and the token range of its body (parameters included); index -1 is the module. */
interface Scope {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly parent: number;
}

function findScopes(code: readonly CodeToken[]): Scope[] {
  const scopes: Scope[] = [{ id: -1, from: 0, to: code.length, parent: -1 }];
  code.forEach((token, index) => {
    if (token.kind !== "name" || token.text !== "def" || !token.startsStatement) return;
    let end = index + 1;
    // The body ends at the first statement indented no deeper than the def.
    while (end < code.length && !(code[end]!.startsStatement && code[end]!.line > token.line && code[end]!.indent <= token.indent)) end++;
    const parent = innermost(scopes, index);
    scopes.push({ id: index, from: index, to: end, parent });
  });
  return scopes;
}

/** The innermost scope that holds token `index` (a def's own name and parameters belong to it). */
function innermost(scopes: readonly Scope[], index: number): number {
  let best = -1;
  let size = Infinity;
  for (const scope of scopes) {
    if (scope.id !== -1 && index >= scope.from && index < scope.to && scope.to - scope.from < size) {
      best = scope.id;
      size = scope.to - scope.from;
    }
  }
  return best;
}

type Binding = "config" | "other";

/** Every binding of every name, per scope: scope id -> name -> kinds seen. */
type Bindings = Map<number, Map<string, Set<Binding>>>;

function bind(bindings: Bindings, scope: number, name: string, kind: Binding): void {
  const names = bindings.get(scope) ?? new Map<string, Set<Binding>>();
  bindings.set(scope, names);
  const kinds = names.get(name) ?? new Set<Binding>();
  names.set(name, kinds);
  kinds.add(kind);
}

/** `XConfig` or `"XConfig"`: an annotation naming the config class itself. */
function isConfigAnnotation(code: readonly CodeToken[], at: number, configClass: string): boolean {
  const token = code[at];
  return token?.text === configClass || (token?.kind === "string" && plainStringValue(token) === configClass);
}

/** The value after `=` at `at`: a config built by the class, read from custom, or the task's own. */
function isConfigValue(code: readonly CodeToken[], at: number, configClass: string): boolean {
  const [first, second, third, fourth] = [code[at], code[at + 1], code[at + 2], code[at + 3]];
  if (first?.text === configClass && second?.text === "(") return true;
  if (first?.text === configClass && second?.text === "." && third?.text === "from_custom" && fourth?.text === "(") return true;
  const next = code[at + 3];
  return first?.text === "self" && second?.text === "." && third?.text === "task_config" && (next === undefined || next.startsStatement);
}

function collectBindings(code: readonly CodeToken[], scopes: readonly Scope[], configClass: string): Bindings {
  const bindings: Bindings = new Map();
  code.forEach((token, index) => {
    if (token.kind !== "name") return;
    const scope = innermost(scopes, index);
    const previous = code[index - 1];
    const next = code[index + 1];
    if (scopes.some((candidate) => candidate.id === index)) return;
    if (previous?.text === "for" || previous?.text === "as" || previous?.text === "import") bind(bindings, scope, token.text, "other");
    else if (isParameter(code, scopes, index)) {
      bind(bindings, scope, token.text, next?.text === ":" && isConfigAnnotation(code, index + 2, configClass) ? "config" : "other");
    } else if (token.startsStatement && next?.text === ":" && isConfigAnnotation(code, index + 2, configClass)) bind(bindings, scope, token.text, "config");
    else if (token.startsStatement && next?.text === "=" && code[index + 2]?.text !== "=") {
      bind(bindings, scope, token.text, isConfigValue(code, index + 2, configClass) ? "config" : "other");
    } else if (token.startsStatement && /^[-+*/%&|^@]$/.test(next?.text ?? "") && code[index + 2]?.text === "=") bind(bindings, scope, token.text, "other");
  });
  return bindings;
}

/** A name in a def's parameter list (depth 1 inside `def f(...)`), before any `:` or `=` of its own. */
function isParameter(code: readonly CodeToken[], scopes: readonly Scope[], index: number): boolean {
  const scope = scopes.find((candidate) => candidate.id === innermost(scopes, index));
  if (scope === undefined || scope.id === -1) return false;
  const open = scope.from + 2;
  if (code[open]?.text !== "(" || index <= open || code[index]!.depth !== code[open]!.depth + 1) return false;
  for (let at = open + 1; at < index; at++) if (code[at]!.text === ")" && code[at]!.depth === code[open]!.depth) return false;
  const previous = code[index - 1]?.text;
  return previous === "(" || previous === "," || previous === "*" || previous === "**";
}

/** A name holds the config when, in the nearest scope that binds it, every binding does. */
function holdsConfig(bindings: Bindings, scopes: readonly Scope[], scope: number, name: string): boolean {
  for (let id = scope; ; id = scopes.find((candidate) => candidate.id === id)!.parent) {
    const kinds = bindings.get(id)?.get(name);
    if (kinds !== undefined) return kinds.size === 1 && kinds.has("config");
    if (id === -1) return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The three rewritable shapes.

interface Context {
  readonly code: readonly CodeToken[];
  readonly scopes: readonly Scope[];
  readonly bindings: Bindings;
  readonly configClass: string;
}

function isConfigAccess(context: Context, index: number): boolean {
  const { code } = context;
  const receiver = code[index - 2];
  if (code[index - 1]?.text !== "." || receiver?.kind !== "name") return false;
  if (receiver.text === "task_config") return code[index - 3]?.text === "." && code[index - 4]?.text === "self" && code[index - 5]?.text !== ".";
  if (code[index - 3]?.text === ".") return false;
  return holdsConfig(context.bindings, context.scopes, innermost(context.scopes, index), receiver.text);
}

/** `XConfig(old=...)`: a keyword argument in a call to the plugin's config class itself. */
function isConfigKeyword(context: Context, index: number): boolean {
  const { code } = context;
  if (code[index + 1]?.text !== "=" || code[index + 2]?.text === "=") return false;
  let depth = 0;
  for (let at = index - 1; at >= 0; at--) {
    const text = code[at]!.text;
    if (text === ")" || text === "]" || text === "}") depth++;
    else if (text === "(" || text === "[" || text === "{") {
      if (depth === 0) return text === "(" && code[at - 1]?.text === context.configClass && code[at - 2]?.text !== ".";
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

/**
 * Scans `source` for `name`; with `renameTo`, rewrites the references that are provably the
 * config of the plugin whose config class is `configClass`.
 */
export function scanReferences(source: string, name: string, configClass: string, renameTo?: string): ScanResult {
  const code = annotate(source, tokenize(source).filter((token) => token.kind !== "comment"));
  const scopes = findScopes(code);
  const context: Context = { code, scopes, bindings: collectBindings(code, scopes, configClass), configClass };
  const edits: { start: number; end: number; text: string }[] = [];
  const leftOver: Reference[] = [];
  code.forEach((token, index) => {
    const isName = token.kind === "name" && token.text === name;
    const isKey = token.kind === "string" && plainStringValue(token) === name;
    const mentions = token.kind === "string" && !isKey && new RegExp(`\\b${name}\\b`).test(token.text);
    if (renameTo !== undefined && isName && (isConfigAccess(context, index) || isConfigKeyword(context, index))) {
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

/** A name used on the plugin's config in user code: `config.name` or `XConfig(name=...)`. */
export interface ConfigUse extends Reference {
  readonly name: string;
}

/** Every attribute and keyword used on what is provably the plugin's config in `source`. */
export function configUses(source: string, configClass: string): ConfigUse[] {
  const code = annotate(source, tokenize(source).filter((token) => token.kind !== "comment"));
  const scopes = findScopes(code);
  const context: Context = { code, scopes, bindings: collectBindings(code, scopes, configClass), configClass };
  const uses: ConfigUse[] = [];
  code.forEach((token, index) => {
    if (token.kind === "name" && (isConfigAccess(context, index) || isConfigKeyword(context, index))) uses.push({ ...lineAt(source, token.start), name: token.text });
  });
  return uses;
}

function dedupe(references: readonly Reference[]): Reference[] {
  const seen = new Set<number>();
  return references.filter((reference) => !seen.has(reference.line) && seen.add(reference.line));
}
