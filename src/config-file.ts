/**
 * Reads and edits `flyte-task.config.ts` as a syntax tree with ts-morph; the file is never
 * executed. Plain literal data inside `defineTaskType({...})` is supported; anything else is
 * refused with the construct's file:line:column. Rules are the schema's: a broken rule is
 * reported at the line of the value that breaks it.
 */
import { Node, Project, SyntaxKind, type ObjectLiteralExpression, type SourceFile } from "ts-morph";
import { CONFIG_FILE } from "./ownership.js";
import { checkValue, LIMITS, numberTextProblem, parseFieldType, SchemaError, validateSchema, type FieldType, type RawField, type RawSchema, type SchemaPath, type TaskSchema } from "./schema.js";

import { ConfigError } from "./errors.js";
import { visibleJson } from "./python.js";

export { ConfigError };

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

interface Located {
  readonly value: Literal;
  /** "line:column" of each path's node, keyed by path joined with "/". */
  readonly positions: Map<string, string>;
}

const TOP_KEYS: ReadonlySet<string> = new Set(["name", "kind", "taskType", "image", "classPrefix", "output", "outputs", "example", "fields"]);
const FIELD_KEYS: ReadonlySet<string> = new Set(["type", "choices", "default", "example", "description", "aliases"]);

function where(node: Node): string {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return `${line}:${column}`;
}

function fail(node: Node, message: string): never {
  throw new ConfigError(`${CONFIG_FILE}:${where(node)}: ${message}`);
}

const CONSTRUCT_NAMES: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.CallExpression]: "a function call",
  [SyntaxKind.NewExpression]: "a constructor call",
  [SyntaxKind.SpreadAssignment]: "a spread (...)",
  [SyntaxKind.SpreadElement]: "a spread (...)",
  [SyntaxKind.ShorthandPropertyAssignment]: "a shorthand property",
  [SyntaxKind.MethodDeclaration]: "a method",
  [SyntaxKind.GetAccessor]: "a getter",
  [SyntaxKind.ArrowFunction]: "a function",
  [SyntaxKind.FunctionExpression]: "a function",
  [SyntaxKind.TemplateExpression]: "a template string with ${...}",
  [SyntaxKind.Identifier]: "a variable reference",
  [SyntaxKind.PropertyAccessExpression]: "a property access",
  [SyntaxKind.BinaryExpression]: "an expression",
  [SyntaxKind.ConditionalExpression]: "a conditional expression",
  [SyntaxKind.ComputedPropertyName]: "a computed property name",
  [SyntaxKind.ImportDeclaration]: "an import from another file",
  [SyntaxKind.VariableStatement]: "a variable declaration",
  [SyntaxKind.FunctionDeclaration]: "a function declaration",
};

function unsupported(node: Node): never {
  const name = CONSTRUCT_NAMES[node.getKind()] ?? `a ${node.getKindName()}`;
  const text = node.getText().split("\n")[0]!.slice(0, 40);
  fail(node, `${name} (${text}) is not supported: write plain literal data inside defineTaskType({...})`);
}

/**
 * Refuses brackets nested deeper than the limit before the TypeScript parser sees the text:
 * its recursive descent (and ours in toLiteral) would overflow the stack on 20,000 levels.
 * Strings and comments are skipped so that brackets inside them do not count.
 */
function checkNesting(text: string): void {
  let depth = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"' || char === "'" || char === "`") at = skipString(text, at);
    else if (char === "/" && text[at + 1] === "/") at = lineEnd(text, at);
    else if (char === "/" && text[at + 1] === "*") at = commentEnd(text, at);
    else if (char === "(" || char === "[" || char === "{") {
      if (++depth > LIMITS.depth) throw new ConfigError(`${CONFIG_FILE}:${lineColumn(text, at)}: nested deeper than ${LIMITS.depth} levels: flatten the data`);
    } else if (char === ")" || char === "]" || char === "}") depth--;
  }
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === quote || (quote !== "`" && text[at] === "\n")) return at;
  }
  return text.length;
}

function lineEnd(text: string, start: number): number {
  const end = text.indexOf("\n", start);
  return end < 0 ? text.length : end;
}

function commentEnd(text: string, start: number): number {
  const end = text.indexOf("*/", start + 2);
  return end < 0 ? text.length : end + 1;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return `${line}:${offset - before.lastIndexOf("\n")}`;
}

function parse(text: string): SourceFile {
  checkNesting(text);
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { noLib: true } });
  const file = project.createSourceFile(CONFIG_FILE, text, { overwrite: true });
  const diagnostic = project.getProgram().getSyntacticDiagnostics(file)[0];
  if (diagnostic) {
    const start = diagnostic.getStart() ?? 0;
    const { line, column } = file.getLineAndColumnAtPos(start);
    const message = diagnostic.getMessageText();
    throw new ConfigError(`${CONFIG_FILE}:${line}:${column}: syntax error: ${typeof message === "string" ? message : message.getMessageText()}`);
  }
  return file;
}

/** The object literal passed to `defineTaskType` in the default export. */
function schemaObject(file: SourceFile): ObjectLiteralExpression {
  let found: ObjectLiteralExpression | undefined;
  for (const statement of file.getStatements()) {
    if (Node.isImportDeclaration(statement)) {
      if (statement.getModuleSpecifierValue() !== "create-flyte-task") unsupported(statement);
      continue;
    }
    if (!Node.isExportAssignment(statement) || statement.isExportEquals()) unsupported(statement);
    const call = unwrap(statement.getExpression());
    if (!Node.isCallExpression(call) || call.getExpression().getText() !== "defineTaskType") {
      fail(call, "the default export must be defineTaskType({...})");
    }
    const [argument, extra] = call.getArguments();
    if (argument === undefined || extra !== undefined) fail(call, "defineTaskType takes exactly one object");
    const object = unwrap(argument);
    if (!Node.isObjectLiteralExpression(object)) unsupported(object);
    found = object;
  }
  if (found === undefined) throw new ConfigError(`${CONFIG_FILE}:1:1: no default export: write export default defineTaskType({...})`);
  return found;
}

function unwrap(node: Node): Node {
  if (Node.isParenthesizedExpression(node)) return unwrap(node.getExpression());
  if (Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) return unwrap(node.getExpression());
  return node;
}

function propertyName(property: Node): string {
  if (!Node.isPropertyAssignment(property)) unsupported(property);
  const nameNode = property.getNameNode();
  if (Node.isIdentifier(nameNode)) return nameNode.getText();
  if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralValue();
  if (Node.isNumericLiteral(nameNode)) return nameNode.getText();
  return unsupported(nameNode);
}

function toLiteral(node: Node, path: string[], positions: Map<string, string>): Literal {
  positions.set(path.join("/"), where(node));
  const value = unwrap(node);
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) return value.getLiteralValue();
  if (Node.isNumericLiteral(value)) return numberOf(value);
  if (Node.isTrueLiteral(value)) return true;
  if (Node.isFalseLiteral(value)) return false;
  if (Node.isNullLiteral(value)) return null;
  const operand = Node.isPrefixUnaryExpression(value) ? value.getOperand() : undefined;
  if (Node.isPrefixUnaryExpression(value) && Node.isNumericLiteral(operand)) {
    const number = numberOf(operand, value.getOperatorToken() === SyntaxKind.MinusToken ? "-" : "");
    if (value.getOperatorToken() === SyntaxKind.MinusToken) return -number;
    if (value.getOperatorToken() === SyntaxKind.PlusToken) return number;
  }
  if (Node.isArrayLiteralExpression(value)) {
    return value.getElements().map((element, index) => {
      if (Node.isSpreadElement(element) || Node.isOmittedExpression(element)) unsupported(element);
      return toLiteral(element, [...path, String(index)], positions);
    });
  }
  if (Node.isObjectLiteralExpression(value)) {
    const object: { [key: string]: Literal } = {};
    for (const property of value.getProperties()) {
      const key = propertyName(property);
      if (Object.hasOwn(object, key)) fail(property, `key "${key}" is given twice (first at ${positions.get([...path, key].join("/"))}): each key may appear once`);
      const item = toLiteral((property as Node & { getInitializerOrThrow(): Node }).getInitializerOrThrow(), [...path, key], positions);
      positions.set([...path, key].join("/"), where(property));
      // defineProperty, not assignment: a key such as "__proto__" is data here.
      Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return object;
  }
  return unsupported(value);
}

/**
 * A numeric literal's value from its text: ts-morph's getLiteralValue() misreads exponents
 * (`1e-7` comes back as 1), and JSON writes small and large floats with one.
 */
function numberOf(node: Node, sign = ""): number {
  // The rule is checked on the text: converting first would round 2**63 to 9223372036854776000.
  const problem = numberTextProblem(sign + node.getText());
  if (problem !== undefined) fail(node, problem);
  return Number(node.getText().replace(/_/g, ""));
}

function isObject(value: Literal | undefined): value is { [key: string]: Literal } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The loose schema from the literal; key errors point at the key. */
function toRawSchema({ value, positions }: Located): RawSchema {
  const at = (path: SchemaPath) => positions.get(path.join("/")) ?? "1:1";
  if (!isObject(value)) throw new ConfigError(`${CONFIG_FILE}:1:1: defineTaskType takes an object`);
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) throw new ConfigError(`${CONFIG_FILE}:${at([key])}: unknown key "${key}": allowed keys are ${[...TOP_KEYS].join(", ")}`);
  }
  const fieldsValue = value.fields ?? {};
  if (!isObject(fieldsValue)) throw new ConfigError(`${CONFIG_FILE}:${at(["fields"])}: "fields" must be an object of field name to { type, default, description }`);
  const fields: RawField[] = Object.entries(fieldsValue).map(([name, spec]) => {
    if (!isObject(spec)) throw new ConfigError(`${CONFIG_FILE}:${at(["fields", name])}: field "${name}" must be an object such as { type: "str" }`);
    for (const key of Object.keys(spec)) {
      if (!FIELD_KEYS.has(key)) throw new ConfigError(`${CONFIG_FILE}:${at(["fields", name, key])}: unknown key "${key}" in field "${name}": allowed keys are ${[...FIELD_KEYS].join(", ")}`);
    }
    return { name, ...spec };
  });
  return { ...value, fields };
}

/** The line and column of the deepest node on `path`. */
function locate(positions: Map<string, string>, path: SchemaPath): string {
  for (let length = path.length; length > 0; length--) {
    const position = positions.get(path.slice(0, length).join("/"));
    if (position !== undefined) return position;
  }
  return "1:1";
}

/**
 * A renamed field keeps its old name as an alias, so that templates registered before the
 * rename still read it (and images older than the rename still find it).
 */
function recordAlias(property: Node, oldName: string, newName: string): void {
  const spec = unwrap(property.asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow());
  if (!Node.isObjectLiteralExpression(spec)) unsupported(spec);
  const existing = spec.getProperty("aliases");
  const aliases = existing === undefined ? [] : (toLiteral(unwrap(existing.asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow()), [], new Map()) as string[]);
  existing?.remove();
  if (!aliases.includes(oldName)) aliases.push(oldName);
  // Renamed back to an old name: that name is the field's own again, no longer an alias.
  const kept = aliases.filter((alias) => alias !== newName);
  if (kept.length === 0) return;
  spec.addPropertyAssignment({ name: "aliases", initializer: tsLiteral(kept) });
}

/** Reads and validates a config file's text into the schema. */
export function parseConfig(text: string): TaskSchema {
  const file = parse(text);
  const positions = new Map<string, string>();
  const value = toLiteral(schemaObject(file), [], positions);
  try {
    return validateSchema(toRawSchema({ value, positions }));
  } catch (error) {
    if (error instanceof SchemaError) throw new ConfigError(`${CONFIG_FILE}:${locate(positions, error.path)}: ${error.message}`);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Edits made by the field commands: each keeps the rest of the file (comments, order) as it is.

export type FieldEdit =
  | { readonly op: "add"; readonly field: RawField }
  | { readonly op: "remove"; readonly name: string }
  | { readonly op: "rename"; readonly from: string; readonly to: string }
  | { readonly op: "retype"; readonly name: string; readonly type: string; readonly default?: unknown };

/** The edited text and the character range that changed, for formatting that range only. */
export interface EditResult {
  readonly text: string;
  readonly range: readonly [number, number];
}

function fieldsObject(object: ObjectLiteralExpression): ObjectLiteralExpression {
  const property = object.getProperty("fields");
  if (property === undefined) {
    const added = object.addPropertyAssignment({ name: "fields", initializer: "{}" });
    return added.getInitializerIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  }
  const initializer = Node.isPropertyAssignment(property) ? unwrap(property.getInitializerOrThrow()) : property;
  if (!Node.isObjectLiteralExpression(initializer)) unsupported(initializer);
  return initializer;
}

function findField(fields: ObjectLiteralExpression, name: string): Node {
  const property = fields.getProperties().find((candidate) => Node.isPropertyAssignment(candidate) && propertyName(candidate) === name);
  if (property === undefined) throw new SchemaError(`field "${name}" does not exist in ${CONFIG_FILE}`, ["fields", name]);
  return property;
}

/** A TypeScript literal for a value (JSON is valid TypeScript). */
function tsLiteral(value: unknown): string {
  return visibleJson(value);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function fieldInitializer(field: RawField): string {
  const parts = [`type: ${tsLiteral(field.type)}`];
  if (field.choices !== undefined) parts.push(`choices: ${tsLiteral(field.choices)}`);
  if (field.default !== undefined) parts.push(`default: ${tsLiteral(field.default)}`);
  if (field.example !== undefined) parts.push(`example: ${tsLiteral(field.example)}`);
  if (field.description !== undefined && field.description !== "") parts.push(`description: ${tsLiteral(field.description)}`);
  return `{ ${parts.join(", ")} }`;
}

function exampleFits(property: Node, type: FieldType, choices: readonly string[] | undefined): boolean {
  if (!Node.isPropertyAssignment(property)) return true;
  try {
    checkValue(toLiteral(unwrap(property.getInitializerOrThrow()), [], new Map()), type, "example", [], choices);
    return true;
  } catch {
    return false;
  }
}

export function editConfig(text: string, edit: FieldEdit): EditResult {
  const file = parse(text);
  const fields = fieldsObject(schemaObject(file));
  let touched: Node;
  switch (edit.op) {
    case "add":
      touched = fields.addPropertyAssignment({ name: propertyKey(String(edit.field.name)), initializer: fieldInitializer(edit.field) });
      break;
    case "remove": {
      findField(fields, edit.name).asKindOrThrow(SyntaxKind.PropertyAssignment).remove();
      touched = fields;
      break;
    }
    case "rename": {
      const property = findField(fields, edit.from).asKindOrThrow(SyntaxKind.PropertyAssignment);
      property.getNameNode().replaceWithText(propertyKey(edit.to));
      recordAlias(property, edit.from, edit.to);
      touched = property;
      break;
    }
    case "retype": {
      const spec = unwrap(findField(fields, edit.name).asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerOrThrow());
      if (!Node.isObjectLiteralExpression(spec)) unsupported(spec);
      const { type, choices } = parseFieldType(edit.type, ["fields", edit.name, "type"], `field "${edit.name}"`);
      spec.getPropertyOrThrow("type").asKindOrThrow(SyntaxKind.PropertyAssignment).setInitializer(tsLiteral(type));
      spec.getProperty("choices")?.remove();
      if (choices !== undefined) spec.insertPropertyAssignment(1, { name: "choices", initializer: tsLiteral(choices) });
      if (edit.default !== undefined) {
        spec.getProperty("default")?.remove();
        spec.addPropertyAssignment({ name: "default", initializer: tsLiteral(edit.default) });
      }
      // An example of the old type that the new one does not accept goes: the generated tests use it.
      const example = spec.getProperty("example");
      if (example !== undefined && !exampleFits(example, type, choices)) example.remove();
      touched = spec;
      break;
    }
  }
  return { text: file.getFullText(), range: [touched.getStart(), touched.getEnd()] };
}
