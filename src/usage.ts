/**
 * Usage: what `--help` prints, per command, and the "did you mean" of a mistyped command or
 * flag. Kept apart from cli.ts so that a new command is one row in COMMANDS. Loads nothing but
 * the schema's tables, so help stays as fast as `--version`.
 */
import { EXAMPLES, FIELD_TYPES, OUTPUT_TYPES } from "./schema.js";

/** The field types and the default syntax, for every help that takes a field. */
export const FIELD_SYNTAX = `Field specs: name:type, name:type=default, or name:type=none (optional, None)
  types:    ${FIELD_TYPES.join(", ")}
            (a choice lists its values: mode:choice(read|write)=read)
  defaults: as in Python or JSON: retries:int=3, dry_run:bool=false, greeting:str=hello,
            tags:list[str]=["a","b"], limits:dict[str,int]={"cpu":2}, options:json={"timeout":5}`;

export const CREATE_USAGE = `Usage: create-flyte-task [directory] [flags]

Scaffolds a Flyte pre-built container task plugin (a Python package) in <directory>.

Flags:
  --name <name>            plugin name, lower-case words joined by hyphens (default: the directory's name)
  --kind <kind>            generic (default) or sql
  --task-type <type>       the Flyte task type (default: the name with - replaced by _)
  --image <ref>            the container image the task runs in
                           (default: localhost:30000/flytekitplugins-<name>:0.1.0)
  --field <spec>           a config field, repeatable: name:type, name:type=default, name:type=none
                           (types and default syntax below)
  --description <n=text>   a field's description, repeatable
  --output <name:type>     a generic task's output, repeatable (default: result:str); types:
                           ${OUTPUT_TYPES.join(", ")}
  --example <name>         write a complete example plugin: ${EXAMPLES.join(", ")}
  --answers <file.json>    read answers from a JSON file (flags win)
  -y, --yes                take the default for every question a flag did not answer
  --dry-run                list what would be written; write nothing
  --force                  write into a non-empty directory
  --install                create .venv, install the plugin with its test extras, run its tests
  --no-git                 skip git init and the first commit
  -h, --help               show this help
  -V, --version            show the version

${FIELD_SYNTAX}

Example:
  npm init flyte-task acme-query -- --field uri:str --field retries:int=3 --yes
`;


interface CommandHelp {
  /** The first line: how the command is called. */
  readonly usage: string;
  readonly summary: string;
  readonly flags?: string;
  readonly details?: string;
  readonly example: string;
}

const COMMON_FLAGS = `  -C <dir>        run in <dir> instead of the current folder
  -h, --help      show this help`;

/** Every flyte-task command: its own --help, and the rows of the global one. */
export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  regenerate: {
    usage: "flyte-task regenerate [--dry-run] [--force]",
    summary: "bring every generated file in line with flyte-task.config.ts",
    flags: `  --dry-run       print the unified diff; write nothing
  --force         overwrite generated files that were edited by hand`,
    details: `Tool-owned files are rewritten; your files are merged three ways against the previous output
in .flyte-task/base/ (conflicts get labelled markers and exit 1).`,
    example: "npx flyte-task regenerate --dry-run",
  },
  check: {
    usage: "flyte-task check [--diff]",
    summary: "exit 1 when regenerate would change a file of yours, or conflict markers are left",
    flags: "  --diff          print the difference",
    example: "npx flyte-task check --diff",
  },
  compat: {
    usage: "flyte-task compat [--against <ref>] [--json]",
    summary: "report what the schema changes since a release do to templates it registered",
    flags: `  --against <ref>  the git ref to compare with (default: the newest version tag, else HEAD)
  --json           print the report as JSON`,
    details: `Each change is breaking (templates of that version no longer run: exit 1), a warning (only an
older image running a new template trips on it) or compatible.`,
    example: "npx flyte-task compat --against v0.1.0",
  },
  release: {
    usage: "flyte-task release <version|patch|minor|major> [--allow-breaking]",
    summary: "set the version and the image tag, regenerate, and record this version's template",
    flags: `  --allow-breaking  release a non-major version even though compat reports breaking changes
  --dry-run         print the unified diff; write nothing`,
    details: `Records tests/released/<version>.json, which tests/test_released.py runs through today's code
from then on. It commits and tags nothing: it prints the git commands.`,
    example: "npx flyte-task release minor",
  },
  field: {
    usage: "flyte-task field <add|remove|rename|retype> ...",
    summary: "edit the schema's fields, then regenerate",
    flags: `  field add <spec> [--description <text>]   add a field
  field remove <name>                       remove a field (its uses are listed)
  field rename <old> <new>                  rename it, rewriting your uses of it
  field retype <name> <type> [--default <value>]
                                            change its type (and default)
  --dry-run       print the unified diff; write nothing`,
    details: FIELD_SYNTAX,
    example: 'npx flyte-task field add timeout:float=none --description "Seconds to wait"',
  },
};

export function globalUsage(): string {
  const rows = Object.entries(COMMANDS).map(([name, help]) => `  ${name.padEnd(12)} ${help.summary}`);
  return `Usage: flyte-task <command> [flags]

Keeps a plugin made by create-flyte-task in sync with its flyte-task.config.ts.

Commands:
${rows.join("\n")}

Flags:
${COMMON_FLAGS}
  -V, --version   show the version

Run \`flyte-task <command> --help\` for a command's flags and an example.

Example:
  npx flyte-task field add retries:int=3 && npx flyte-task check
`;
}

export function commandUsage(name: string): string {
  const help = COMMANDS[name]!;
  const sections = [`Usage: ${help.usage}`, "", `${help.summary[0]!.toUpperCase()}${help.summary.slice(1)}.`];
  if (help.details) sections.push("", help.details);
  sections.push("", "Flags:", ...(help.flags ? [help.flags] : []), COMMON_FLAGS, "", "Example:", `  ${help.example}`);
  return `${sections.join("\n")}\n`;
}

/** The candidate nearest to `word` when it is close enough to be a typo, else undefined. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(1, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A "did you mean" tail for a message, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = nearest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${match}?)`;
}

/**
 * One line for a flag parseArgs refused, naming the nearest valid flag. Its own messages are
 * long ("Unknown option '--feild'. To specify a positional argument starting with a '-', ...").
 */
export function flagError(message: string, flags: Readonly<Record<string, { readonly type: string }>>, command: string): string {
  const unknown = /Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (unknown === null) return `${message.split("\n")[0]!.replace(/\.$/, "")}: see ${command} --help`;
  const valid = Object.keys(flags).map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
  return `unknown flag "${unknown[1]}${unknown[2]}"${didYouMean(`${unknown[1]}${unknown[2]}`, valid)}: see ${command} --help`;
}

