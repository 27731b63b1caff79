/**
 * The two commands and their flags. `create-flyte-task` scaffolds a plugin; `flyte-task` keeps
 * one in sync. Only what a command needs is imported, when it needs it: `--help` and
 * `--version` load nothing heavy, and bad flags are refused before Yeoman, ts-morph or
 * prettier are loaded. Exit codes: 0 done, 1 failure (or drift, conflicts), 2 bad input with
 * nothing written.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fieldFromSpec, rawSchemaOf, readAnswersFile, withDefaults, withExample, type Answers } from "./answers.js";
import type { FieldEdit } from "./config-file.js";
import type { CreateOptions } from "./create.js";
import { EXIT_CANCELLED, exitCodeOfCancel, runCancelCleanups } from "./cancel.js";
import { ConfigError, InputError, isCancel } from "./errors.js";
import { toolVersion } from "./paths.js";
import { parseDefaultText, parseFieldSpec, parseFieldType, SchemaError, validateSchema, type RawField } from "./schema.js";
import { checkTarget } from "./target.js";
import { commandUsage, COMMANDS, CREATE_USAGE, didYouMean, flagError, globalUsage } from "./usage.js";

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_BAD_INPUT = 2;

function isTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

// ---------------------------------------------------------------------------------------------
// create-flyte-task

/** What the create command line says besides the answers. */
export interface CreateFlags {
  readonly directory: string | undefined;
  readonly yes: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly create: CreateOptions;
}

export const CREATE_FLAGS = {
  name: { type: "string" },
  kind: { type: "string" },
  "task-type": { type: "string" },
  image: { type: "string" },
  field: { type: "string", multiple: true },
  description: { type: "string", multiple: true },
  output: { type: "string", multiple: true },
  example: { type: "string" },
  yes: { type: "boolean", short: "y" },
  answers: { type: "string" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  install: { type: "boolean" },
  "no-git": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

type ParsedFlags = ReturnType<typeof parseCreateArgs>["values"];

function parseCreateArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: CREATE_FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(flagError((error as Error).message, CREATE_FLAGS, "create-flyte-task"));
  }
}

/** Parses argv into options and the answers that flags and the answers file give. */
export function readCreateArgs(argv: readonly string[]): { options: CreateFlags; answers: Answers } {
  const { values, positionals } = parseCreateArgs(argv);
  if (positionals.length > 1) throw new InputError(tooManyArguments(positionals));
  const options: CreateFlags = {
    directory: positionals[0],
    yes: values.yes ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    create: {
      dryRun: values["dry-run"] ?? false,
      force: values.force ?? false,
      install: values.install ?? false,
      git: !(values["no-git"] ?? false),
    },
  };
  if (options.help || options.version) return { options, answers: {} };
  const fromFile = values.answers === undefined ? {} : readAnswersFile(values.answers);
  return { options, answers: { ...fromFile, ...answersFromFlags(values, options.directory, fromFile) } };
}

/**
 * `npm init flyte-task x --field a:str` hands `--field` to npm itself, and the tool sees only
 * `x a:str`: say so, since the fix (a `--` before the flags) is not obvious.
 */
function tooManyArguments(positionals: readonly string[]): string {
  const underNpm = process.env.npm_config_user_agent !== undefined || positionals.slice(1).some((word) => /[:=]/.test(word));
  const hint = underNpm ? `; npm init passes flags on only after --: npm init flyte-task ${positionals[0]} -- --field ...` : "";
  return `too many arguments "${positionals.join(" ")}": give one directory${hint}`;
}

function answersFromFlags(values: ParsedFlags, directory: string | undefined, fromFile: Answers): Answers {
  const answers: Answers = {};
  const set = <K extends keyof Answers>(key: K, value: Answers[K] | undefined) => {
    if (value !== undefined) answers[key] = value;
  };
  set("directory", directory);
  set("name", values.name);
  set("kind", values.kind);
  set("taskType", values["task-type"]);
  set("image", values.image);
  set("output", values.output);
  set("example", values.example);
  const fields = values.field?.map((spec) => fieldFromSpec(spec));
  const withDescriptions = applyDescriptions(fields ?? fromFile.fields ?? [], values.description ?? []);
  if (fields !== undefined || values.description !== undefined) answers.fields = withDescriptions;
  return answers;
}

function applyDescriptions(fields: RawField[], descriptions: readonly string[]): RawField[] {
  const result = fields.map((field) => ({ ...field }));
  for (const entry of descriptions) {
    const at = entry.indexOf("=");
    const name = at < 0 ? entry : entry.slice(0, at);
    const field = result.find((candidate) => candidate.name === name);
    if (at < 0 || field === undefined) {
      throw new InputError(`--description "${entry}": it must be name=text for a field given with --field`);
    }
    field.description = entry.slice(at + 1);
  }
  return result;
}

export async function createMain(argv: readonly string[]): Promise<number> {
  const { options, answers } = readCreateArgs(argv);
  if (options.help) {
    process.stdout.write(CREATE_USAGE);
    return EXIT_OK;
  }
  if (options.version) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT_OK;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (isTerminal() && !options.yes) {
    const { runGenerator } = await import("./run-generator.js");
    // --force answers the question about a non-empty folder: write alongside its files.
    const given: Answers = options.create.force ? { ...answers, existing: "alongside" } : answers;
    await runGenerator({ answers: given, create: options.create, interactive: true, ...(options.directory ? { target: resolve(options.directory) } : {}) });
    return EXIT_OK;
  }
  // Everything is known: refuse bad input now, then run the stages directly.
  const complete = withDefaults(withExample(answers));
  const schema = validateSchema(rawSchemaOf(complete));
  const target = resolve(options.directory ?? complete.directory!);
  checkTarget(target, options.create.force);
  const { createPlugin } = await import("./create.js");
  await createPlugin(schema, target, options.create, log);
  return EXIT_OK;
}

// ---------------------------------------------------------------------------------------------
// flyte-task

const FLYTE_TASK_FLAGS = {
  C: { type: "string", short: "C" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  diff: { type: "boolean" },
  against: { type: "string" },
  json: { type: "boolean" },
  "allow-breaking": { type: "boolean" },
  description: { type: "string" },
  default: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

function parseFlyteTaskArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLYTE_TASK_FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(flagError((error as Error).message, FLYTE_TASK_FLAGS, "flyte-task"));
  }
}

export async function flyteTaskMain(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlyteTaskArgs(argv);
  if (values.version) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT_OK;
  }
  const [command, ...rest] = positionals;
  if (command !== undefined && COMMANDS[command] === undefined) {
    throw new InputError(`unknown command "${command}"${didYouMean(command, Object.keys(COMMANDS))}: see flyte-task --help`);
  }
  if (values.help || command === undefined || (command === "field" && rest.length === 0)) {
    process.stdout.write(command === undefined ? globalUsage() : commandUsage(command));
    return values.help ? EXIT_OK : EXIT_BAD_INPUT;
  }
  const root = resolve(values.C ?? ".");
  const sync = await import("./sync.js");
  const options = {
    dryRun: values["dry-run"] ?? false,
    force: values.force ?? false,
    diff: values.diff ?? false,
    log: (line: string) => process.stdout.write(`${line}\n`),
    error: (line: string) => process.stderr.write(`${line}\n`),
  };
  if (command === "field") return sync.editFields(root, fieldEdit(rest, values.description, values.default), options);
  if (command === "release") {
    if (rest.length !== 1) throw new InputError("usage: flyte-task release <version|patch|minor|major> [--allow-breaking]");
    return (await import("./release.js")).release(root, rest[0]!, { ...options, allowBreaking: values["allow-breaking"] ?? false });
  }
  if (command === "compat" && rest.length === 0) return (await import("./compat.js")).compat(root, { against: values.against, json: values.json ?? false, log: options.log });
  if (rest.length > 0) throw new InputError(`flyte-task ${command} takes no arguments, got "${rest.join(" ")}": see flyte-task ${command} --help`);
  return command === "regenerate" ? sync.regenerate(root, options) : sync.check(root, options);
}

function fieldEdit(args: readonly string[], description: string | undefined, defaultText: string | undefined): FieldEdit {
  const [op, first, second, ...extra] = args;
  const usage = (form: string) => new InputError(`usage: flyte-task field ${form}`);
  if (extra.length > 0) throw usage(`${op} ...: too many arguments`);
  switch (op) {
    case "add":
      if (first === undefined || second !== undefined) throw usage("add <name:type[=default]> [--description <text>]");
      return { op, field: { ...parseFieldSpec(first), ...(description === undefined ? {} : { description }) } };
    case "remove":
      if (first === undefined || second !== undefined) throw usage("remove <name>");
      return { op, name: first };
    case "rename":
      if (first === undefined || second === undefined) throw usage("rename <old> <new>");
      return { op, from: first, to: second };
    case "retype":
      if (first === undefined || second === undefined) throw usage("retype <name> <type> [--default <value>]");
      return { op, name: first, type: second, ...(defaultText === undefined ? {} : { default: parseDefaultText(defaultText, parseFieldType(second, [], `field "${first}"`).type, first) }) };
    default:
      throw new InputError(`unknown field command "${op ?? ""}"${didYouMean(op ?? "", ["add", "remove", "rename", "retype"])}: use add, remove, rename or retype`);
  }
}

/** Runs a main function as the process: one line per error, and the exit code. */
export async function runProcess(main: (argv: readonly string[]) => Promise<number>): Promise<void> {
  // Ctrl-C outside a question (a question handles its own): one line, exit 130.
  process.once("SIGINT", () => {
    printCancelled();
    process.exit(EXIT_CANCELLED);
  });
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function printCancelled(): void {
  process.stdout.write(["", "Cancelled.", ...runCancelCleanups()].join("\n") + "\n");
}

/**
 * An error is one line whatever the user's values hold: line breaks and other control
 * characters quoted in a message are shown escaped (`\n`), never written as they are.
 */
function oneLine(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (char) => JSON.stringify(char).slice(1, -1));
}

function reportError(error: unknown): number {
  // Ctrl-C at a question can also reach here as the prompt library's own error.
  if (isCancel(error)) {
    printCancelled();
    return exitCodeOfCancel();
  }
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (error instanceof InputError || error instanceof SchemaError || error instanceof ConfigError) {
    process.stderr.write(`error: ${message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`error: ${message}\n`);
  if (process.env.FLYTE_TASK_DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
  return EXIT_FAILURE;
}
