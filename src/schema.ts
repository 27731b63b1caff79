/**
 * The one validated model of a task type, and every rule about it. Answers from flags,
 * prompts, answers files and `flyte-task.config.ts` all pass through `validateSchema`.
 */
import { PYTHON_IDENTIFIER, PYTHON_KEYWORDS, type PyValue } from "./python.js";
import { LiteralSyntaxError, parseLiteral } from "./literal.js";
import { TAKEN_TASK_TYPES } from "./taken-task-types.js";

/**
 * The scalar types and how a value of each is checked. With `OTHER_CHECKS` below, this table is
 * the one definition of the field types: the list of types, the validation of values, and the
 * TypeScript types that `defineTaskType` gives a default (`ValueOf`) all derive from it.
 */
const SCALAR_CHECKS = {
  // A lone surrogate has no UTF-8 encoding: it could not be written to a file as it is.
  str: (value: unknown): value is string => typeof value === "string" && value.isWellFormed(),
  int: (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value),
  float: (value: unknown): value is number => typeof value === "number" && Number.isFinite(value),
  bool: (value: unknown): value is boolean => typeof value === "boolean",
} as const;

/** How a Flyte secret is named in flyte-task.config.ts: a reference, never its value. */
export interface SecretRef {
  readonly group: string;
  readonly key?: string;
  readonly group_version?: string;
  readonly mount_requirement?: (typeof MOUNT_REQUIREMENTS)[number];
}
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** flytekit's `Secret.MountType` names. */
export const MOUNT_REQUIREMENTS = ["ANY", "ENV_VAR", "FILE"] as const;
const SECRET_KEYS: ReadonlySet<string> = new Set(["group", "key", "group_version", "mount_requirement"]);

function isSecretRef(value: unknown): value is SecretRef {
  if (!isPlainObject(value) || !Object.keys(value).every((key) => SECRET_KEYS.has(key))) return false;
  const { group, key, group_version: version, mount_requirement: mount } = value;
  const optionalText = (text: unknown) => text === undefined || (SCALAR_CHECKS.str(text) && text !== "");
  return SCALAR_CHECKS.str(group) && group !== "" && optionalText(key) && optionalText(version) && (mount === undefined || (MOUNT_REQUIREMENTS as readonly unknown[]).includes(mount));
}

function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === "boolean" || SCALAR_CHECKS.str(value)) return true;
  if (typeof value === "number") return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
  if (Array.isArray(value)) return value.every(isJson);
  return isPlainObject(value) && Object.values(value).every(isJson);
}

/** The field types that are not a scalar or a collection of one. A choice's values are checked against its `choices`. */
const OTHER_CHECKS = {
  secret: isSecretRef,
  "dict[str,secret]": (value: unknown): value is Record<string, SecretRef> => isPlainObject(value) && Object.values(value).every(isSecretRef),
  json: isJson,
  choice: SCALAR_CHECKS.str,
} as const;

export type ScalarType = keyof typeof SCALAR_CHECKS;
type OtherType = keyof typeof OTHER_CHECKS;
export type FieldType = ScalarType | `list[${ScalarType}]` | `dict[str,${ScalarType}]` | OtherType;

const SCALAR_TYPES = Object.keys(SCALAR_CHECKS) as ScalarType[];
export const FIELD_TYPES: readonly FieldType[] = [
  ...SCALAR_TYPES,
  ...SCALAR_TYPES.map((type) => `list[${type}]` as const),
  ...SCALAR_TYPES.map((type) => `dict[str,${type}]` as const),
  ...(Object.keys(OTHER_CHECKS) as OtherType[]),
];

type Checked<Check> = Check extends (value: unknown) => value is infer Value ? Value : never;
type ScalarValue<T extends ScalarType> = Checked<(typeof SCALAR_CHECKS)[T]>;

/** The value of a field type, as a default is written in flyte-task.config.ts: `list[int]` -> `number[]`. */
export type ValueOf<T extends FieldType> = T extends OtherType
  ? Checked<(typeof OTHER_CHECKS)[T]>
  : T extends `list[${infer Item extends ScalarType}]`
    ? ScalarValue<Item>[]
    : T extends `dict[str,${infer Item extends ScalarType}]`
      ? Record<string, ScalarValue<Item>>
      : T extends ScalarType
        ? ScalarValue<T>
        : never;

export const KINDS = ["generic", "sql"] as const;
export type Kind = (typeof KINDS)[number];

export const EXAMPLES = ["sqlite", "sqlalchemy"] as const;
export type Example = (typeof EXAMPLES)[number];

/** A custom config field. `default` absent: required; `null`: optional, defaulting to None. */
export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  /** The values a `choice` field may take (only for `choice`). */
  readonly choices?: readonly string[];
  readonly default?: PyValue | null;
  /** A realistic value, used by the generated tests and README instead of a placeholder. */
  readonly example?: PyValue;
  readonly description?: string;
  /** Names the field had before a rename: still read from, and written to, templates. */
  readonly aliases?: readonly string[];
}

/**
 * Types a task's output may have, and the Python type each stands for. The generated executor
 * returns a `LiteralMap` converted by the template's declared interface (not by the runtime
 * type of each value, as flytekit's shim would), so lists, dicts, files and tables work too.
 */
const OUTPUT_ITEM_TYPES = ["str", "int", "float", "bool", "datetime", "timedelta"] as const;
type OutputItemType = (typeof OUTPUT_ITEM_TYPES)[number];
export type OutputType = OutputItemType | `list[${OutputItemType}]` | `dict[str,${OutputItemType}]` | "file" | "directory" | "dataframe" | "structured-dataset" | "dataclass";
export const OUTPUT_TYPES: readonly OutputType[] = [
  ...OUTPUT_ITEM_TYPES,
  ...OUTPUT_ITEM_TYPES.map((type) => `list[${type}]` as const),
  ...OUTPUT_ITEM_TYPES.map((type) => `dict[str,${type}]` as const),
  "file",
  "directory",
  "dataframe",
  "structured-dataset",
  "dataclass",
];

/** Types a field of a dataclass output may have: the scalars, lists, dicts, files and folders. */
export const DATACLASS_FIELD_TYPES: readonly OutputType[] = OUTPUT_TYPES.filter((type) => !["dataframe", "structured-dataset", "dataclass"].includes(type));

export interface OutputDef {
  readonly name: string;
  readonly type: OutputType;
  /** The fields of a `dataclass` output, in order; absent for every other type. */
  readonly fields?: readonly { readonly name: string; readonly type: OutputType }[];
}

/**
 * Output names that a NamedTuple of outputs cannot take, or that would shadow a tuple method
 * (`outputs.count`); names starting with `_` are refused for every identifier.
 */
const RESERVED_OUTPUT_NAMES: ReadonlySet<string> = new Set(["count", "index"]);

export interface TaskSchema {
  readonly name: string;
  readonly kind: Kind;
  readonly taskType: string;
  readonly image: string;
  /** The generic kind's named outputs, in order; empty for the sql kind, which returns `results` (a FlyteSchema) or nothing. */
  readonly outputs: readonly OutputDef[];
  readonly fields: readonly FieldDef[];
  readonly example: Example | null;
  /** The prefix of the generated classes (`SQLAlchemy` -> `SQLAlchemyConfig`); derived from the name when absent. */
  readonly classPrefix?: string;
}

/** Where in the schema a value sits, e.g. ["fields", "retries", "default"]; used to point at config lines. */
export type SchemaPath = readonly (string | number)[];

export class SchemaError extends Error {
  constructor(
    message: string,
    readonly path: SchemaPath = [],
  ) {
    super(message);
    this.name = "SchemaError";
  }
}

/** Loose input, before validation: what flags, prompts, answers files and the config file give. */
export interface RawField {
  name?: unknown;
  aliases?: unknown;
  type?: unknown;
  choices?: unknown;
  default?: unknown;
  example?: unknown;
  description?: unknown;
}

export interface RawSchema {
  name?: unknown;
  kind?: unknown;
  taskType?: unknown;
  image?: unknown;
  /** A `{ name, type }` (one output, as plugins made by 0.1 write it) or a list of them. */
  output?: unknown;
  /** Output name to `{ type }`, as flyte-task.config.ts writes them. */
  outputs?: unknown;
  fields?: readonly RawField[];
  example?: unknown;
  classPrefix?: unknown;
}

/** The names a plugin derives from its name: `acme-query` -> `flytekitplugins.acme_query`, `AcmeQueryTask`. */
export interface PluginNames {
  readonly name: string;
  readonly distribution: string;
  readonly module: string;
  readonly importPath: string;
  readonly classPrefix: string;
  readonly configClass: string;
  readonly taskClass: string;
  readonly executorClass: string;
}

/** `acme-query` -> `AcmeQuery`: the class prefix when the schema names none. */
export function defaultClassPrefix(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

export function deriveNames(name: string, classPrefix = defaultClassPrefix(name)): PluginNames {
  const module = name.replace(/-/g, "_");
  return {
    name,
    distribution: `flytekitplugins-${name}`,
    module,
    importPath: `flytekitplugins.${module}`,
    classPrefix,
    configClass: `${classPrefix}Config`,
    taskClass: `${classPrefix}Task`,
    executorClass: `${classPrefix}Executor`,
  };
}

export const DEFAULT_OUTPUT: OutputDef = { name: "result", type: "str" };

export function defaultTaskType(name: string): string {
  return name.replace(/-/g, "_");
}

export function defaultImage(name: string): string {
  return `localhost:30000/flytekitplugins-${name}:0.1.0`;
}

/** The sql kind's output, fixed to match flytekit's SQLite3Task. */
export const SQL_OUTPUT_NAME = "results";

// ---------------------------------------------------------------------------------------------
// Rules

const NAME_RULE = "lower-case words of letters and digits joined by single hyphens, starting with a letter";
const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TASK_TYPE_PATTERN = /^[a-z][a-z0-9_-]*$/;
const MAX_NAME_LENGTH = 64;

/**
 * Names a config field may not take: the task's own parameters (a field of that name reads as
 * one in `Task(name=..., task_config=...)` calls), the config's methods, and every name the
 * config class body reads after a field with a default has bound it there: its annotations
 * (`str`, `Secret`, `Literal[...]`), defaults (`field(default_factory=list)`), decorators and
 * the signatures of its methods (`Mapping`, `Any`), and its generated `__init__` (`self`).
 * A test reads them all from the rendered config.py.
 */
const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  "name",
  "task_config",
  "inputs",
  "container_image",
  "secret_requests",
  "executor_type",
  "task_type",
  "kwargs",
  "to_custom",
  "from_custom",
  "secrets",
  "field",
  "fields",
  "dataclass",
  "asdict",
  "classmethod",
  "str",
  "int",
  "float",
  "bool",
  "list",
  "dict",
  "Any",
  "Mapping",
  "Literal",
  "Json",
  "Secret",
  "self",
]);
const RESERVED_SQL_FIELD_NAMES: ReadonlySet<string> = new Set(["query_template", "output_schema_type"]);

export function checkPluginName(name: unknown): string {
  if (typeof name !== "string" || name === "") throw new SchemaError("plugin name is empty: it must be " + NAME_RULE, ["name"]);
  if (name.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(name)) {
    throw new SchemaError(`plugin name "${name}" is invalid: it must be ${NAME_RULE}${name.length > MAX_NAME_LENGTH ? ` (at most ${MAX_NAME_LENGTH} characters)` : ""}`, ["name"]);
  }
  const module = name.replace(/-/g, "_");
  if (PYTHON_KEYWORDS.has(module)) {
    throw new SchemaError(`plugin name "${name}" is invalid: its module name "${module}" is a Python keyword`, ["name"]);
  }
  return name;
}

export function checkTaskType(taskType: unknown): string {
  if (typeof taskType !== "string" || !TASK_TYPE_PATTERN.test(taskType)) {
    throw new SchemaError(`task type ${show(taskType)} is invalid: it must match [a-z][a-z0-9_-]*`, ["taskType"]);
  }
  if (TAKEN_TASK_TYPES.has(taskType)) {
    throw new SchemaError(`task type "${taskType}" is already taken by flytekit or a backend plugin: choose another`, ["taskType"]);
  }
  return taskType;
}

// The grammar of an image reference, after the OCI distribution reference format.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE_PATTERN = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);
/** flytekit >=1.12 also accepts a reference to an image in the platform's image config. */
const IMAGE_TEMPLATE_PATTERN = /^\{\{\.image\.[A-Za-z0-9_-]+\.fqn\}\}(?::[\w][\w.-]{0,127})?$/;

export function checkImage(image: unknown): string {
  const rule = "it must be an image reference such as registry.example.com/team/image:tag";
  if (typeof image !== "string" || image === "") throw new SchemaError(`container image is empty: ${rule}`, ["image"]);
  const [beforeTag = ""] = image.split(/[:@]/);
  const valid = IMAGE_TEMPLATE_PATTERN.test(image) || (IMAGE_PATTERN.test(image) && beforeTag.length <= 255);
  if (!valid) throw new SchemaError(`container image "${image}" is invalid: ${rule}`, ["image"]);
  return image;
}

export function checkKind(kind: unknown): Kind {
  if (!(KINDS as readonly unknown[]).includes(kind)) {
    throw new SchemaError(`kind ${show(kind)} is unknown: it must be one of ${KINDS.join(", ")}`, ["kind"]);
  }
  return kind as Kind;
}

export function checkExample(example: unknown): Example | null {
  if (example === undefined || example === null) return null;
  if (!(EXAMPLES as readonly unknown[]).includes(example)) {
    throw new SchemaError(`example ${show(example)} is unknown: it must be one of ${EXAMPLES.join(", ")}`, ["example"]);
  }
  return example as Example;
}

export function checkFieldType(type: unknown, path: SchemaPath, subject: string): FieldType {
  const normalized = typeof type === "string" ? type.replace(/\s+/g, "") : type;
  if (!(FIELD_TYPES as readonly unknown[]).includes(normalized)) {
    throw new SchemaError(`${subject} has unknown type ${show(type)}: it must be one of ${FIELD_TYPES.join(", ")} (a choice written choice(a|b) on the command line)`, path);
  }
  return normalized as FieldType;
}

/** Reads a type as the command line writes it: `int`, `dict[str,secret]`, `choice(read|write)`. */
export function parseFieldType(text: string, path: SchemaPath, subject: string): { type: FieldType; choices?: string[] } {
  const choice = /^\s*choice\s*\(([^)]*)\)\s*$/.exec(text);
  if (choice) return { type: "choice", choices: checkChoices(choice[1]!.split("|").map((item) => item.trim()), path, subject) };
  return { type: checkFieldType(text.trim(), path, subject) };
}

function checkChoices(choices: unknown, path: SchemaPath, subject: string): string[] {
  const rule = "a choice needs at least one distinct, non-empty text value, e.g. choice(read|write)";
  if (!Array.isArray(choices) || choices.length === 0) throw new SchemaError(`${subject} has no choices: ${rule}`, path);
  for (const choice of choices) {
    if (!SCALAR_CHECKS.str(choice) || choice === "") throw new SchemaError(`${subject} has choice ${show(choice)}: ${rule}`, path);
  }
  if (new Set(choices).size !== choices.length) throw new SchemaError(`${subject} lists a choice twice: ${rule}`, path);
  return choices as string[];
}

function checkIdentifier(name: unknown, subject: string, path: SchemaPath): string {
  if (typeof name !== "string" || !PYTHON_IDENTIFIER.test(name)) {
    throw new SchemaError(`${subject} ${show(name)} is invalid: it must be a Python identifier (letters, digits, _; not starting with a digit)`, path);
  }
  if (name.startsWith("_")) throw new SchemaError(`${subject} "${name}" is invalid: it must not start with "_"`, path);
  if (PYTHON_KEYWORDS.has(name)) throw new SchemaError(`${subject} "${name}" is invalid: it is a Python keyword`, path);
  return name;
}

export function checkFieldName(name: unknown, kind: Kind, path: SchemaPath = ["fields"]): string {
  const checked = checkIdentifier(name, "field name", path);
  if (RESERVED_FIELD_NAMES.has(checked) || (kind === "sql" && RESERVED_SQL_FIELD_NAMES.has(checked))) {
    throw new SchemaError(`field name "${checked}" is reserved: the generated task or config uses it${kind === "sql" && RESERVED_SQL_FIELD_NAMES.has(checked) ? " (sql kind)" : ""}`, path);
  }
  return checked;
}

/** Checks that `value` is a valid `type` value; throws with a message naming the value and type. */
export function checkValue(value: unknown, type: FieldType, subject: string, path: SchemaPath, choices?: readonly string[]): PyValue {
  if (!matchesType(value, type) || (type === "choice" && !(choices ?? []).includes(value as string))) {
    throw new SchemaError(`${subject} ${show(value)} is not a valid ${type}${hintFor(type, choices)}`, path);
  }
  return value as PyValue;
}

function hintFor(type: FieldType, choices?: readonly string[]): string {
  if (type === "int") return " (a whole number)";
  if (type === "choice") return ` (one of ${(choices ?? []).map((choice) => JSON.stringify(choice)).join(", ")})`;
  if (type === "secret") return ' (a reference such as { group: "db", key: "password" }, never the value)';
  if (type === "dict[str,secret]") return ' (names to references such as { group: "db", key: "password" })';
  if (type === "json") return " (JSON data: finite numbers, ints within 2^53)";
  if (type === "bool") return " (true or false)";
  return "";
}

function matchesType(value: unknown, type: FieldType): boolean {
  if (type in OTHER_CHECKS) return OTHER_CHECKS[type as OtherType](value);
  const list = /^list\[(\w+)\]$/.exec(type);
  if (list) return Array.isArray(value) && value.every(SCALAR_CHECKS[list[1] as ScalarType]);
  const dict = /^dict\[str,(\w+)\]$/.exec(type);
  if (dict) return isPlainObject(value) && Object.values(value).every(SCALAR_CHECKS[dict[1] as ScalarType]);
  return SCALAR_CHECKS[type as ScalarType](value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkDescription(description: unknown, path: SchemaPath): string | undefined {
  if (description === undefined || description === null) return undefined;
  if (typeof description !== "string" || !description.isWellFormed()) {
    throw new SchemaError(`description ${show(description)} is not text (valid Unicode)`, path);
  }
  // Surrounding white space is not kept: formatters would strip it from docstrings anyway.
  const trimmed = description.trim();
  checkTextSize(trimmed, "description", path);
  return trimmed === "" ? undefined : trimmed;
}

function checkAliases(aliases: unknown, name: string, kind: Kind, path: SchemaPath): string[] {
  if (!Array.isArray(aliases)) throw new SchemaError(`aliases of field "${name}" must be a list of the names it had, e.g. ["retries"]`, path);
  const checked = aliases.map((alias) => checkFieldName(alias, kind, path));
  if (checked.includes(name) || new Set(checked).size !== checked.length) throw new SchemaError(`aliases of field "${name}" repeat a name: each old name once, and not the field's own`, path);
  return checked;
}

function checkField(raw: RawField, kind: Kind, index: number): FieldDef {
  const key = typeof raw.name === "string" ? raw.name : index;
  const name = checkFieldName(raw.name, kind, ["fields", key]);
  const type = checkFieldType(raw.type, ["fields", key, "type"], `field "${name}"`);
  const description = checkDescription(raw.description, ["fields", key, "description"]);
  let choices: string[] | undefined;
  if (type === "choice") choices = checkChoices(raw.choices, ["fields", key, "choices"], `field "${name}"`);
  else if (raw.choices !== undefined) throw new SchemaError(`field "${name}" has choices but type "${type}": only a choice has them`, ["fields", key, "choices"]);
  const check = (value: unknown, what: string) => checkValue(value, type, `${what} of field "${name}":`, ["fields", key, what], choices);
  const base: FieldDef = {
    name,
    type,
    ...(choices === undefined ? {} : { choices }),
    ...(description === undefined ? {} : { description }),
    ...(raw.example === undefined ? {} : { example: check(raw.example, "example") }),
    ...(raw.aliases === undefined ? {} : { aliases: checkAliases(raw.aliases, name, kind, ["fields", key, "aliases"]) }),
  };
  if (raw.default === undefined) return base;
  if (raw.default === null) return { ...base, default: null };
  const value = check(raw.default, "default");
  checkDefaultSize(value, name, ["fields", key, "default"]);
  return { ...base, default: value };
}

function checkOutputs(raw: RawSchema, kind: Kind): OutputDef[] {
  const given = raw.outputs ?? raw.output;
  if (kind === "sql") {
    if (given !== undefined && given !== null) {
      throw new SchemaError(`outputs are fixed for the sql kind: "${SQL_OUTPUT_NAME}" (a FlyteSchema or output_schema_type), or none with output_schema_type=None`, [raw.outputs === undefined ? "output" : "outputs"]);
    }
    return [];
  }
  if (raw.outputs !== undefined && raw.output !== undefined) throw new SchemaError(`write either "outputs" or the older "output", not both`, ["output"]);
  if (given === undefined || given === null) return [DEFAULT_OUTPUT];
  let list: { raw: unknown; path: SchemaPath }[];
  if (raw.outputs !== undefined) {
    if (!isPlainObject(given)) throw new SchemaError(`outputs ${show(given)} must be an object of output name to { type }`, ["outputs"]);
    list = Object.entries(given).map(([name, spec]) => ({ raw: isPlainObject(spec) ? { name, ...spec } : spec, path: ["outputs", name] }));
  } else {
    list = (Array.isArray(given) ? given : [given]).map((item, index) => ({ raw: item, path: Array.isArray(given) ? ["output", index] : ["output"] }));
  }
  if (list.length === 0) throw new SchemaError("a generic task needs at least one output", ["outputs"]);
  const seen = new Set<string>();
  return list.map(({ raw: item, path }) => {
    const output = checkOutput(item, path);
    if (seen.has(output.name)) throw new SchemaError(`output "${output.name}" is defined twice: output names must be unique`, path);
    seen.add(output.name);
    return output;
  });
}

function checkOutput(raw: unknown, path: SchemaPath): OutputDef {
  if (!isPlainObject(raw)) throw new SchemaError(`output ${show(raw)} must be an object with a name and a type`, path);
  const name = checkIdentifier(raw.name, "output name", [...path, "name"]);
  if (RESERVED_OUTPUT_NAMES.has(name)) throw new SchemaError(`output name "${name}" is reserved: the outputs are a NamedTuple, whose ${name}() it would hide`, [...path, "name"]);
  let type = typeof raw.type === "string" ? raw.type.replace(/\s+/g, "") : raw.type;
  let rawFields = raw.fields;
  // The command line's spelling: dataclass(label:str|counts:list[int]|report:file).
  const inline = typeof type === "string" ? /^dataclass\((.*)\)$/.exec(type) : null;
  if (inline) {
    if (rawFields !== undefined) throw new SchemaError(`output "${name}" declares its fields twice: in its type and in "fields"`, [...path, "fields"]);
    type = "dataclass";
    rawFields = Object.fromEntries(
      (inline[1] ?? "").split("|").filter((part) => part !== "").map((part) => {
        const at = part.indexOf(":");
        if (at < 0) throw new SchemaError(`output "${name}" field "${part}" is malformed: write name:type, e.g. dataclass(label:str|counts:list[int])`, [...path, "type"]);
        return [part.slice(0, at), part.slice(at + 1)];
      }),
    );
  }
  if (!(OUTPUT_TYPES as readonly unknown[]).includes(type)) {
    throw new SchemaError(`output "${name}" has unknown type ${show(raw.type)}: it must be one of ${OUTPUT_TYPES.join(", ")}`, [...path, "type"]);
  }
  if (type !== "dataclass") {
    if (rawFields !== undefined) throw new SchemaError(`output "${name}" has fields, but only a dataclass output takes them`, [...path, "fields"]);
    return { name, type: type as OutputType };
  }
  if (!isPlainObject(rawFields) || Object.keys(rawFields).length === 0) {
    throw new SchemaError(`dataclass output "${name}" needs fields: an object of field name to type, e.g. { label: "str", counts: "list[int]" }`, [...path, "fields"]);
  }
  const fields = Object.entries(rawFields).map(([fieldName, fieldType]) => {
    const checked = checkIdentifier(fieldName, `output "${name}" field name`, [...path, "fields", fieldName]);
    const typeText = typeof fieldType === "string" ? fieldType.replace(/\s+/g, "") : fieldType;
    if (!(DATACLASS_FIELD_TYPES as readonly unknown[]).includes(typeText)) {
      throw new SchemaError(`output "${name}" field "${checked}" has unknown type ${show(fieldType)}: it must be one of ${DATACLASS_FIELD_TYPES.join(", ")}`, [...path, "fields", fieldName]);
    }
    return { name: checked, type: typeText as OutputType };
  });
  return { name, type: "dataclass", fields };
}

/** Validates loose input into the schema model; the first broken rule throws a SchemaError. */
export function validateSchema(raw: RawSchema): TaskSchema {
  const name = checkPluginName(raw.name);
  const kind = checkKind(raw.kind ?? "generic");
  const taskType = checkTaskType(raw.taskType);
  const image = checkImage(raw.image);
  const outputs = checkOutputs(raw, kind);
  const example = checkExample(raw.example);
  if (example !== null && kind !== "sql") {
    throw new SchemaError(`example "${example}" needs kind "sql", not "${kind}"`, ["kind"]);
  }
  checkFieldCount(raw.fields?.length ?? 0);
  const fields: FieldDef[] = [];
  const seen = new Set<string>();
  (raw.fields ?? []).forEach((rawField, index) => {
    const field = checkField(rawField, kind, index);
    if (seen.has(field.name)) throw new SchemaError(`field "${field.name}" is defined twice: field names must be unique`, ["fields", field.name]);
    seen.add(field.name);
    fields.push(field);
  });
  // An old name is read from templates as the field it now names: it cannot name another field.
  for (const field of fields) {
    const clash = (field.aliases ?? []).find((alias) => seen.has(alias) || fields.some((other) => other !== field && other.aliases?.includes(alias)));
    if (clash !== undefined) throw new SchemaError(`alias "${clash}" of field "${field.name}" is also another field's name or alias`, ["fields", field.name, "aliases"]);
  }
  const classPrefix = checkClassPrefix(raw.classPrefix);
  return { name, kind, taskType, image, outputs, fields, example, ...(classPrefix === undefined ? {} : { classPrefix }) };
}

const CLASS_PREFIX_PATTERN = /^[A-Z][A-Za-z0-9]*$/;

export function checkClassPrefix(prefix: unknown): string | undefined {
  if (prefix === undefined || prefix === null) return undefined;
  if (typeof prefix !== "string" || prefix.length > MAX_NAME_LENGTH || !CLASS_PREFIX_PATTERN.test(prefix)) {
    throw new SchemaError(`class prefix ${show(prefix)} is invalid: it must be a Python class name starting with a capital letter (letters and digits, e.g. SQLAlchemy)`, ["classPrefix"]);
  }
  return prefix;
}

/** An output's type as the command line writes it: `dataclass(label:str|counts:list[int])` for a dataclass. */
export function outputTypeText(output: OutputDef): string {
  return output.fields === undefined ? output.type : `dataclass(${output.fields.map((field) => `${field.name}:${field.type}`).join("|")})`;
}

/** Parses the `name:type` of --output and its prompt; the schema checks the parts. */
export function parseOutput(spec: string): { name: string; type: string } {
  const at = spec.indexOf(":");
  if (at < 0) throw new SchemaError(`output "${spec}" is malformed: write name:type, e.g. result:str`, ["output"]);
  return { name: spec.slice(0, at).trim(), type: spec.slice(at + 1).trim() };
}

// ---------------------------------------------------------------------------------------------
// The `name:type[=default]` syntax shared by --field, prompts and `flyte-task field add`.

/** Parses `retries:int=3`, `tags:list[str]=["a"]`, `timeout:float=none`, `mode:choice(read|write)=read`; the default text is Python or JSON. */
export function parseFieldSpec(spec: string): RawField {
  const match = /^([^:=]*):((?:choice\s*\([^)]*\))|[^=]*)(?:=([\s\S]*))?$/.exec(spec);
  if (!match) throw new SchemaError(`field "${spec}" is malformed: write name:type, name:type=default or name:type=none`, ["fields"]);
  const [, name = "", typeText = "", defaultText] = match;
  const { type, choices } = parseFieldType(typeText, ["fields", name, "type"], `field "${name}"`);
  const base: RawField = { name: name.trim(), type, ...(choices === undefined ? {} : { choices }) };
  if (defaultText === undefined) return base;
  return { ...base, default: parseDefaultText(defaultText, type, name.trim()) };
}

/** `none` (any case) means optional; a str default may be written bare (`hello`) or quoted. */
export function parseDefaultText(text: string, type: FieldType, fieldName: string): PyValue | null {
  const trimmed = text.trim();
  if (/^(none|null)$/i.test(trimmed)) return null;
  if ((type === "str" || type === "choice") && !/^["']/.test(trimmed)) return type === "choice" ? trimmed : text;
  try {
    // A json default is JSON text, where null may sit anywhere.
    if (type === "json") return parseJsonDefault(trimmed);
    return parseLiteral(trimmed, { maxDepth: LIMITS.depth, numberProblem: numberTextProblem });
  } catch (error) {
    const reason = error instanceof LiteralSyntaxError || error instanceof SyntaxError ? ` (${error.message})` : "";
    throw new SchemaError(`default of field "${fieldName}": ${show(text)} is not a valid ${type}${reason}`, ["fields", fieldName, "default"]);
  }
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Limits: sane bounds so that hostile or mistaken input is refused fast with a clear line
// instead of exhausting memory, the stack or the generated code's readers.

export const LIMITS = {
  fields: 500,
  /** UTF-8 bytes of a description and of each string in a default. */
  textBytes: 4096,
  answersFileBytes: 1024 * 1024,
  configFileBytes: 1024 * 1024,
  /** Brackets nested in a default or the config file. */
  depth: 64,
} as const;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * The rule for a number written as text, checked on the TEXT before it becomes a JS number
 * (which would round 9223372036854775808 to 9223372036854776000). Flyte ints are 64-bit;
 * integers beyond JS's exact range (2^53-1) are refused rather than rounded, because a default
 * that changes value on the way into config.py would be a silent bug. Returns the broken
 * rule's message, or undefined.
 */
export function numberTextProblem(text: string): string | undefined {
  const plain = text.replace(/_/g, "");
  const integer = /^[-+]?(?:\d+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)$/.test(plain);
  if (integer) return integerProblem(text, plain);
  if (!Number.isFinite(Number(plain))) return `${text} is not a finite float: floats must be within ±1.7976931348623157e308`;
  return undefined;
}

function integerProblem(text: string, plain: string): string | undefined {
  const negative = plain.startsWith("-");
  const magnitude = BigInt(plain.replace(/^[-+]/, ""));
  const value = negative ? -magnitude : magnitude;
  if (value > INT64_MAX || value < INT64_MIN) {
    return `integer ${text} is outside 64 bits: ints must be within ${INT64_MIN} to ${INT64_MAX}`;
  }
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    return `integer ${text} cannot be kept exact: ints must be within ±${Number.MAX_SAFE_INTEGER}`;
  }
  return undefined;
}

/** A string longer than `LIMITS.textBytes` in UTF-8, named by `subject`. */
export function checkTextSize(text: string, subject: string, path: SchemaPath): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > LIMITS.textBytes) throw new SchemaError(`${subject} is ${bytes} bytes: at most ${LIMITS.textBytes} bytes are allowed`, path);
}

/** Every string inside a default, for the size rule. */
function stringsIn(value: PyValue): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
  return [];
}

export function checkDefaultSize(value: PyValue, fieldName: string, path: SchemaPath): void {
  for (const text of stringsIn(value)) checkTextSize(text, `default of field "${fieldName}" (a string in it)`, path);
}

export function checkFieldCount(count: number): void {
  if (count > LIMITS.fields) throw new SchemaError(`${count} fields given: at most ${LIMITS.fields} fields are allowed`, ["fields"]);
}

/**
 * `--example` is a complete preset: its executor and tests use exactly its fields, kind and
 * output, so a flag that changes them would produce a plugin that does not work.
 */
export function checkExampleConflicts(example: string, given: { fields?: unknown; kind?: unknown; output?: unknown }): void {
  const flags = { fields: "--field", kind: "--kind", output: "--output" } as const;
  for (const key of ["fields", "kind", "output"] as const) {
    if (given[key] !== undefined) {
      throw new SchemaError(`--example "${example}" cannot be combined with ${flags[key]}: the example fixes its fields, kind and output`, [key]);
    }
  }
}

/**
 * A json default: JSON.parse would round big integers and accept any depth, so the text is
 * walked first (outside strings) for the nesting and number rules the other types follow.
 */
function parseJsonDefault(text: string): PyValue {
  let depth = 0;
  const fail = (message: string): never => {
    throw new LiteralSyntaxError(message);
  };
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"') at = jsonStringEnd(text, at);
    else if (char === "[" || char === "{") {
      if (++depth > LIMITS.depth) fail(`nested deeper than ${LIMITS.depth} levels`);
    } else if (char === "]" || char === "}") depth--;
    else if (/[-0-9]/.test(char)) {
      const number = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(at, at + 400))?.[0] ?? char;
      const problem = numberTextProblem(number);
      if (problem !== undefined) fail(problem);
      at += number.length - 1;
    }
  }
  return JSON.parse(text) as PyValue;
}

function jsonStringEnd(text: string, start: number): number {
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === '"') return at;
  }
  return text.length;
}

// ---------------------------------------------------------------------------------------------
// Compatibility between two versions of a schema
//
// The guarantee checked: every task template written by the old version still runs on the new
// image (an image rebuilt under the same tag, or an old workflow pointed at a new one). What only
// an older image running a new template would trip on is a warning, named as such.

export type ChangeClass = "breaking" | "warning" | "compatible";

export interface SchemaChange {
  readonly class: ChangeClass;
  /** What changed: `kind`, `task type`, `field "x"`, `output "y"`. */
  readonly subject: string;
  readonly change: string;
}

/** Type changes whose old values the new reader accepts: the rest cannot read old templates. */
const WIDENINGS: ReadonlySet<string> = new Set(["int>float", "list[int]>list[float]", "dict[str,int]>dict[str,float]", "choice>str"]);

/** Every change from `old` to `next` that matters to templates, breaking first. Descriptions are not reported. */
export function compareSchemas(old: TaskSchema, next: TaskSchema): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const add = (klass: ChangeClass, subject: string, change: string) => changes.push({ class: klass, subject, change });
  if (old.kind !== next.kind) add("breaking", "kind", `${old.kind} -> ${next.kind}: the task's signature and custom change`);
  if (old.taskType !== next.taskType) add("warning", "task type", `"${old.taskType}" -> "${next.taskType}": the platform routes the two differently`);
  if (old.image !== next.image) add("compatible", "image", `"${old.image}" -> "${next.image}"`);
  compareOutputs(old, next, add);
  compareFields(old, next, add);
  const order: Record<ChangeClass, number> = { breaking: 0, warning: 1, compatible: 2 };
  return changes.sort((a, b) => order[a.class] - order[b.class]);
}

type AddChange = (klass: ChangeClass, subject: string, change: string) => void;

function compareOutputs(old: TaskSchema, next: TaskSchema, add: AddChange): void {
  for (const output of old.outputs) {
    const now = next.outputs.find((candidate) => candidate.name === output.name);
    if (now === undefined) add("breaking", `output "${output.name}"`, "removed: workflows built on the old task read it");
    else if (outputTypeText(now) !== outputTypeText(output)) add("breaking", `output "${output.name}"`, `type ${outputTypeText(output)} -> ${outputTypeText(now)}: workflows built on the old task expect the old type`);
  }
  for (const output of next.outputs) {
    if (!old.outputs.some((candidate) => candidate.name === output.name)) add("compatible", `output "${output.name}"`, `added (${outputTypeText(output)})`);
  }
}

function compareFields(old: TaskSchema, next: TaskSchema, add: AddChange): void {
  for (const field of old.fields) {
    const renamed = next.fields.find((candidate) => candidate.aliases?.includes(field.name));
    const now = next.fields.find((candidate) => candidate.name === field.name) ?? renamed;
    const subject = `field "${field.name}"`;
    if (now === undefined) {
      if (field.default === undefined) add("warning", subject, "removed (it had no default): an older image running a new template finds it missing");
      else add("compatible", subject, "removed");
      continue;
    }
    if (now !== undefined && now.name !== field.name) add("compatible", subject, `renamed to "${now.name}", which still reads the old name (alias)`);
    compareField(field, now, `field "${now.name}"`, add);
  }
  for (const field of next.fields) {
    const existed = old.fields.some((candidate) => candidate.name === field.name || field.aliases?.includes(candidate.name));
    if (existed) continue;
    if (field.default === undefined) add("breaking", `field "${field.name}"`, "added without a default: templates written before it lack it");
    else add("warning", `field "${field.name}"`, "added with a default: an older image running a new template ignores it");
  }
}

function compareField(old: FieldDef, next: FieldDef, subject: string, add: AddChange): void {
  if (old.type !== next.type) {
    if (WIDENINGS.has(`${old.type}>${next.type}`)) add("warning", subject, `type ${old.type} -> ${next.type}: widened; an older image cannot read every new value`);
    else add("breaking", subject, `type ${old.type} -> ${next.type}: the new reader cannot accept the old values`);
  } else if (old.type === "choice") {
    const removed = (old.choices ?? []).filter((choice) => !(next.choices ?? []).includes(choice));
    const added = (next.choices ?? []).filter((choice) => !(old.choices ?? []).includes(choice));
    if (removed.length > 0) add("breaking", subject, `choices ${removed.join(", ")} removed: templates holding them no longer read`);
    if (added.length > 0) add("warning", subject, `choices ${added.join(", ")} added: an older image refuses them`);
  }
  if (JSON.stringify(old.default) !== JSON.stringify(next.default)) {
    const show = (value: PyValue | null | undefined) => (value === undefined ? "(none: required)" : JSON.stringify(value));
    add("warning", subject, `default ${show(old.default)} -> ${show(next.default)}: templates that left it out run with the new one`);
  }
}
