/**
 * The two commands. `create-flyte-task` scaffolds a plugin; `flyte-task` keeps one in sync.
 * Only what a command needs is imported, when it needs it: `--help` and `--version` load
 * nothing heavy, and bad flags are refused before Yeoman, ts-morph or prettier are loaded.
 * Exit codes: 0 done, 1 failure (or drift, conflicts), 2 bad input with nothing written.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { CREATE_USAGE, readCreateArgs, toSchema, withDefaults, withExample } from "./answers.js";
import type { FieldEdit } from "./config-file.js";
import { ConfigError, InputError } from "./errors.js";
import { toolVersion } from "./paths.js";
import { checkTarget } from "./plan.js";
import { checkFieldType, parseDefaultText, parseFieldSpec, SchemaError } from "./schema.js";

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_BAD_INPUT = 2;

function isTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
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
  const interactive = isTerminal() && !options.yes;
  if (!interactive) {
    // Everything is known: refuse bad input now, before any heavy module loads.
    const complete = withDefaults(withExample(answers));
    toSchema(complete);
    checkTarget(resolve(options.directory ?? complete.directory!), options.force);
  }
  const { runCreate } = await import("./run-generator.js");
  await runCreate({ answers, create: options, interactive });
  return EXIT_OK;
}

export const FLYTE_TASK_USAGE = `Usage: flyte-task <command> [flags]

Keeps a plugin made by create-flyte-task in sync with its flyte-task.config.ts.

Commands:
  regenerate [--dry-run] [--force]     bring every generated file in line with the schema
  check [--diff]                       exit 1 when regenerate would change something
  field add <name:type[=default]> [--description <text>]
  field remove <name>
  field rename <old> <new>
  field retype <name> <type> [--default <value>]
                                       edit the schema, then regenerate

Flags:
  -C <dir>        run in <dir> instead of the current folder
  --dry-run       print the unified diff; write nothing
  --force         overwrite generated files that were edited by hand
  --diff          with check: print the diff
  -h, --help      show this help
  -V, --version   show the version
`;

const FLYTE_TASK_FLAGS = {
  C: { type: "string", short: "C" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  diff: { type: "boolean" },
  description: { type: "string" },
  default: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

function parseFlyteTaskArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLYTE_TASK_FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message.split("\n")[0]}: see --help`);
  }
}

export async function flyteTaskMain(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlyteTaskArgs(argv);
  if (values.version) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT_OK;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(FLYTE_TASK_USAGE);
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
  if (command === "regenerate" && rest.length === 0) return sync.regenerate(root, options);
  if (command === "check" && rest.length === 0) return sync.check(root, options);
  if (command === "field") return sync.editFields(root, fieldEdit(rest, values.description, values.default), options);
  throw new InputError(`unknown command "${positionals.join(" ")}": see flyte-task --help`);
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
      return { op, name: first, type: second, ...(defaultText === undefined ? {} : { default: parseDefaultText(defaultText, checkFieldType(second, [], `field "${first}"`), first) }) };
    default:
      throw new InputError(`unknown field command "${op ?? ""}": use add, remove, rename or retype`);
  }
}

/** Runs a main function as the process: one line per error, and the exit code. */
export async function runProcess(main: (argv: readonly string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InputError || error instanceof SchemaError || error instanceof ConfigError) {
    process.stderr.write(`error: ${message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`error: ${message}\n`);
  if (process.env.FLYTE_TASK_DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
  return EXIT_FAILURE;
}
