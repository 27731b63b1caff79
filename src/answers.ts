/**
 * Answers: what the user asked for, before any rule is applied: the answers file, the built-in
 * examples, defaults, and (with a terminal) prompts. Each question has a flag (see cli.ts);
 * each `askFor*` returns early when a flag or the file answered it.
 * Validation is the schema's: prompts call the same `check*` functions as flags.
 */
import { readdirSync, statSync } from "node:fs";
import { readTextFile } from "./files.js";
import { basename, resolve } from "node:path";
import { CancelledError, InputError } from "./errors.js";
import {
  checkExampleConflicts,
  checkFieldName,
  checkFieldType,
  checkImage,
  checkKind,
  checkPluginName,
  checkTaskType,
  checkValue,
  defaultImage,
  defaultTaskType,
  DEFAULT_OUTPUT,
  EXAMPLES,
  FIELD_TYPES,
  KINDS,
  LIMITS,
  parseDefaultText,
  parseFieldSpec,
  parseFieldType,
  parseOutput,
  validateSchema,
  type Example,
  type FieldType,
  type Kind,
  type RawField,
  type RawSchema,
} from "./schema.js";
import type { PyValue } from "./python.js";

/** Answers known before any prompt: every value is still unvalidated. */
export interface Answers {
  directory?: string;
  name?: string;
  kind?: string;
  taskType?: string;
  image?: string;
  /** The prefix of the generated classes (set by an example; derived from the name otherwise). */
  classPrefix?: string;
  /** `name:type`, one or several (--output is repeatable). */
  output?: string | string[];
  example?: string;
  fields?: RawField[];
  /** What to do with a target folder that is not empty: set by --force, or asked first. */
  existing?: ExistingFolder;
}

/** A non-empty target: empty it first (keeping .git), or write the plugin alongside its files. */
export type ExistingFolder = "empty" | "alongside";

/** A `name:type[=default]` field from a flag or the answers file; a bad one names the spec. */
export function fieldFromSpec(spec: string): RawField {
  try {
    return parseFieldSpec(spec);
  } catch (error) {
    // A huge spec is cut short: the line names it, the error message names the rule.
    const shown = spec.length > 80 ? `${spec.slice(0, 77)}...` : spec;
    throw new InputError(`--field "${shown}": ${(error as Error).message}`);
  }
}

const ANSWER_KEYS: ReadonlySet<string> = new Set(["directory", "name", "kind", "taskType", "image", "output", "example", "fields"]);

export function readAnswersFile(path: string): Answers {
  const text = readTextFile(path, { shown: `answers file "${path}"`, maxBytes: LIMITS.answersFileBytes });
  if (text === null) throw new InputError(`answers file "${path}" does not exist`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`answers file "${path}" is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError(`answers file "${path}" must hold a JSON object`);
  }
  const unknown = Object.keys(data).filter((key) => !ANSWER_KEYS.has(key));
  if (unknown.length > 0) {
    throw new InputError(`answers file "${path}" has unknown key "${unknown[0]}": allowed keys are ${[...ANSWER_KEYS].join(", ")}`);
  }
  const answers = data as Record<string, unknown>;
  for (const key of ["directory", "name", "kind", "taskType", "image", "output", "example"]) {
    const value = answers[key];
    const isText = typeof value === "string" || (key === "output" && Array.isArray(value) && value.every((item) => typeof item === "string"));
    if (value !== undefined && !isText) {
      throw new InputError(`answers file "${path}": "${key}" must be a string`);
    }
  }
  return { ...(answers as Answers), fields: readFileFields(path, answers.fields) };
}

/** Fields in an answers file: `"name:type=default"` strings or `{ name, type, default, description }` objects. */
function readFileFields(path: string, fields: unknown): RawField[] | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) throw new InputError(`answers file "${path}": "fields" must be a list`);
  return fields.map((field: unknown) => {
    if (typeof field === "string") return fieldFromSpec(field);
    if (typeof field === "object" && field !== null && !Array.isArray(field)) return field as RawField;
    throw new InputError(`answers file "${path}": field ${JSON.stringify(field)} must be a "name:type" string or an object`);
  });
}

// ---------------------------------------------------------------------------------------------
// From answers to a schema

/** The example's preset answers; flags still override them. */
const EXAMPLE_ANSWERS: Readonly<Record<Example, Answers>> = {
  sqlite: {
    name: "sqlite3",
    kind: "sql",
    taskType: "sqlite3",
    fields: [
      { name: "uri", type: "str", description: "Where the SQLite database file is: a local path or any URI flytekit can download." },
      { name: "compressed", type: "bool", default: false, description: "Whether the file is an archive (zip, tar.gz) holding the database." },
    ],
  },
  // flytekitplugins-sqlalchemy re-created; "sqlalchemy" is the task type of that plugin.
  sqlalchemy: {
    name: "sqlalchemy-query",
    kind: "sql",
    taskType: "sqlalchemy_query",
    classPrefix: "SQLAlchemy",
    fields: [
      { name: "uri", type: "str", example: "sqlite:///music.db", description: "SQLAlchemy database URL, e.g. postgresql://user@host/db (no password: put it in secret_connect_args)." },
      { name: "connect_args", type: "json", default: null, example: { timeout: 5 }, description: "Keyword arguments for the database driver's connect(), as a JSON object." },
      {
        name: "secret_connect_args",
        type: "dict[str,secret]",
        default: null,
        example: { isolation_level: { group: "music_db", key: "isolation_level" } },
        description: "Driver connect() arguments whose values are Flyte secrets, e.g. a password.",
      },
    ],
  },
};

export function withExample(answers: Answers): Answers {
  if (answers.example === undefined) return answers;
  if (!(EXAMPLES as readonly string[]).includes(answers.example)) {
    throw new InputError(`--example "${answers.example}" is unknown: it must be one of ${EXAMPLES.join(", ")}`);
  }
  checkExampleConflicts(answers.example, answers);
  return { ...EXAMPLE_ANSWERS[answers.example as Example], ...answers };
}

export function pluginNameFrom(answers: Answers): string | undefined {
  return answers.name ?? (answers.directory === undefined ? undefined : basename(resolve(answers.directory)));
}

/** Fills every unanswered question with its default; the name (or directory) has none. */
export function withDefaults(answers: Answers): Answers {
  const name = pluginNameFrom(answers);
  if (name === undefined) {
    throw new InputError("missing the plugin name: pass a directory (create-flyte-task acme-query) or --name acme-query; see --help for every flag");
  }
  const safeName = tryCheck(() => checkPluginName(name));
  return {
    ...answers,
    name,
    directory: answers.directory ?? name,
    kind: answers.kind ?? "generic",
    taskType: answers.taskType ?? (safeName ? defaultTaskType(name) : undefined),
    image: answers.image ?? (safeName ? defaultImage(name) : undefined),
    fields: answers.fields ?? [],
  };
}

function tryCheck(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** Complete answers as the schema's loose input; `validateSchema` applies the rules. */
export function rawSchemaOf(answers: Answers): RawSchema {
  const raw: RawSchema = {
    name: answers.name,
    kind: answers.kind,
    taskType: answers.taskType,
    image: answers.image,
    output: answers.output === undefined ? undefined : [answers.output].flat().flatMap((spec) => spec.trim().split(/\s+/)).map(parseOutput),
    fields: answers.fields,
    example: answers.example,
    classPrefix: answers.classPrefix,
  };
  return raw;
}

// ---------------------------------------------------------------------------------------------
// Prompts, one function per question (a Yeoman generator's `prompt` is the `ask`).

export interface Question {
  type: "input" | "select" | "confirm";
  name: string;
  message: string;
  default?: unknown;
  choices?: readonly string[];
  validate?: (input: string) => true | string;
}
export type Ask = (questions: Question[]) => Promise<Record<string, unknown>>;

/** Turns a check into a prompt validator: true, or the rule broken. */
function validator(check: (input: string) => unknown): (input: string) => true | string {
  return (input) => {
    try {
      check(input);
      return true;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

async function askOne(ask: Ask, question: Question): Promise<string> {
  const reply = await ask([question]);
  return String(reply[question.name]);
}

export async function askForDirectory(ask: Ask, answers: Answers): Promise<void> {
  if (answers.directory !== undefined || answers.name !== undefined) return;
  answers.directory = await askOne(ask, {
    type: "input",
    name: "directory",
    message: "Folder for the new plugin:",
    default: "flyte-task-plugin",
    validate: validator((input) => checkPluginName(basename(resolve(input)))),
  });
}

/**
 * A target that exists and is not empty is asked about before anything else, as create-vite
 * does: cancel, empty it, or write alongside what is there.
 */
export async function askForExistingFolder(ask: Ask, answers: Answers): Promise<void> {
  const directory = answers.directory ?? answers.name;
  if (answers.existing !== undefined || directory === undefined || !isNonEmptyFolder(resolve(directory))) return;
  const choices = ["Cancel", "Remove existing files and continue", "Write alongside the existing files"];
  const reply = await askOne(ask, { type: "select", name: "existing", message: `Folder "${directory}" is not empty. How to proceed?`, choices, default: choices[0] });
  if (reply === choices[0]) throw new CancelledError();
  answers.existing = reply === choices[1] ? "empty" : "alongside";
}

function isNonEmptyFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory() && readdirSync(path).length > 0;
  } catch {
    return false;
  }
}

export async function askForName(ask: Ask, answers: Answers): Promise<void> {
  if (answers.name !== undefined) return;
  answers.name = await askOne(ask, {
    type: "input",
    name: "name",
    message: "Plugin name (lower-case words joined by hyphens):",
    default: pluginNameFrom(answers),
    validate: validator(checkPluginName),
  });
}

export async function askForKind(ask: Ask, answers: Answers): Promise<void> {
  if (answers.kind !== undefined) return;
  answers.kind = await askOne(ask, { type: "select", name: "kind", message: "Kind of task:", choices: KINDS, default: "generic" });
}

export async function askForTaskType(ask: Ask, answers: Answers): Promise<void> {
  if (answers.taskType !== undefined) return;
  answers.taskType = await askOne(ask, {
    type: "input",
    name: "taskType",
    message: "Flyte task type:",
    default: defaultTaskType(answers.name ?? ""),
    validate: validator(checkTaskType),
  });
}

export async function askForImage(ask: Ask, answers: Answers): Promise<void> {
  if (answers.image !== undefined) return;
  answers.image = await askOne(ask, {
    type: "input",
    name: "image",
    message: "Container image the task runs in:",
    default: defaultImage(answers.name ?? ""),
    validate: validator(checkImage),
  });
}

export async function askForOutput(ask: Ask, answers: Answers): Promise<void> {
  if (answers.output !== undefined || answers.kind === "sql") return;
  answers.output = await askOne(ask, {
    type: "input",
    name: "output",
    message: "The task's outputs (name:type, several separated by spaces):",
    default: `${DEFAULT_OUTPUT.name}:${DEFAULT_OUTPUT.type}`,
    validate: validator((input) => validateOutput(input, answers)),
  });
}

function validateOutput(input: string, answers: Answers): void {
  validateSchema({ name: answers.name, kind: "generic", taskType: "x", image: "x", output: input.trim().split(/\s+/).map(parseOutput) });
}

/** Asks for fields in a loop until the user says no more. */
export async function askForFields(ask: Ask, answers: Answers): Promise<void> {
  if (answers.fields !== undefined) return;
  const fields: RawField[] = [];
  const kind = checkKind(answers.kind ?? "generic") as Kind;
  for (;;) {
    const more = await ask([{ type: "confirm", name: "addField", message: fields.length === 0 ? "Add a config field?" : "Add another field?", default: fields.length === 0 }]);
    if (more.addField !== true) break;
    fields.push(await askForField(ask, kind, fields));
  }
  answers.fields = fields;
}

async function askForField(ask: Ask, kind: Kind, taken: readonly RawField[]): Promise<RawField> {
  const name = await askOne(ask, {
    type: "input",
    name: "fieldName",
    message: "Field name:",
    validate: validator((input) => {
      checkFieldName(input, kind);
      if (taken.some((field) => field.name === input)) throw new Error(`field "${input}" is defined twice: field names must be unique`);
    }),
  });
  const type = checkFieldType(await askOne(ask, { type: "select", name: "fieldType", message: "Type:", choices: FIELD_TYPES, default: "str" }), [], name);
  const choices =
    type === "choice"
      ? parseFieldType(`choice(${await askOne(ask, { type: "input", name: "fieldChoices", message: "Choices (a|b|c):", validate: validator((input) => parseFieldType(`choice(${input})`, [], name)) })})`, [], name).choices
      : undefined;
  const defaultText = await askOne(ask, {
    type: "input",
    name: "fieldDefault",
    message: "Default, as in Python or JSON (empty: required; none: optional; lists and dicts in JSON, e.g. [\"a\"] or {\"k\": 1}):",
    default: "",
    validate: validator((input) => input === "" || checkDefault(parseDefaultText(input, type, name), type, name, choices)),
  });
  const description = await askOne(ask, { type: "input", name: "fieldDescription", message: "Description:", default: "" });
  const field: RawField = { name, type, description, ...(choices === undefined ? {} : { choices }) };
  return defaultText === "" ? field : { ...field, default: parseDefaultText(defaultText, type, name) };
}

function checkDefault(value: PyValue | null, type: FieldType, name: string, choices?: readonly string[]): void {
  if (value !== null) checkValue(value, type, `default of field "${name}":`, ["fields", name, "default"], choices);
}

export const QUESTIONS = [askForDirectory, askForExistingFolder, askForName, askForKind, askForTaskType, askForImage, askForOutput, askForFields] as const;
