/**
 * Compat: `flyte-task compat`, the report of what a schema change does to templates already
 * registered. Reads the schema at a git ref and today's, and prints the schema module's
 * classification (`compareSchemas`), one line per change. Only reads.
 */
import { execFileSync } from "node:child_process";
import { InputError } from "./errors.js";
import { CONFIG_FILE } from "./ownership.js";
import { compareSchemas, LIMITS, type SchemaChange } from "./schema.js";
import { readConfigText } from "./sync.js";

export interface CompatOptions {
  readonly against: string | undefined;
  readonly json: boolean;
  readonly log: (line: string) => void;
}

function git(root: string, args: readonly string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 8 * 1024 * 1024 });
  } catch {
    return null;
  }
}

const VERSION_TAG = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** The newest tag that is a version (1.2.3 or v1.2.3), else HEAD. */
function defaultRef(root: string): string {
  const tags = (git(root, ["tag", "--list"]) ?? "").split("\n").filter((tag) => VERSION_TAG.test(tag));
  const key = (tag: string) => VERSION_TAG.exec(tag)!.slice(1).map(Number);
  tags.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
  });
  return tags[0] ?? "HEAD";
}

async function schemaAt(root: string, ref: string): Promise<ReturnType<typeof import("./config-file.js").parseConfig>> {
  if (git(root, ["rev-parse", "--is-inside-work-tree"]) === null) throw new InputError(`compat needs git: "${root}" is not in a git repository`);
  if (git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]) === null) throw new InputError(`compat: "${ref}" is not a commit, branch or tag of this repository`);
  const text = git(root, ["show", `${ref}:./${CONFIG_FILE}`]);
  if (text === null) throw new InputError(`compat: ${ref} has no ${CONFIG_FILE} in this folder`);
  // The old file is input like today's: the same size limit before it is parsed.
  if (Buffer.byteLength(text) > LIMITS.configFileBytes) throw new InputError(`compat: the ${CONFIG_FILE} of ${ref} is over ${LIMITS.configFileBytes} bytes`);
  const { parseConfig } = await import("./config-file.js");
  try {
    return parseConfig(text);
  } catch (error) {
    throw new InputError(`compat: the ${CONFIG_FILE} of ${ref} cannot be read: ${(error as Error).message}`);
  }
}

/** The changes from the schema at `against` (default: the newest version tag, else HEAD) to today's. */
export async function compatChanges(root: string, against: string | undefined): Promise<{ against: string; changes: SchemaChange[] }> {
  const ref = against ?? defaultRef(root);
  const old = await schemaAt(root, ref);
  const { parseConfig } = await import("./config-file.js");
  return { against: ref, changes: compareSchemas(old, parseConfig(readConfigText(root))) };
}

/** Exit 0 when no change breaks old templates, 1 when one does. */
export async function compat(root: string, options: CompatOptions): Promise<number> {
  const { against: ref, changes } = await compatChanges(root, options.against);
  const breaking = changes.some((change) => change.class === "breaking");
  if (options.json) options.log(JSON.stringify({ against: ref, breaking, changes }, null, 2));
  else report(ref, changes, options.log);
  return breaking ? 1 : 0;
}

function report(ref: string, changes: readonly SchemaChange[], log: (line: string) => void): void {
  if (changes.length === 0) {
    log(`No change to the schema since ${ref}.`);
    return;
  }
  log(`Changes since ${ref}, for templates it registered:`);
  for (const change of changes) log(`  ${change.class.padEnd(10)} ${change.subject}: ${change.change}`);
  const breaking = changes.filter((change) => change.class === "breaking").length;
  log(breaking === 0 ? "Nothing breaks templates of that version." : `${breaking} change(s) break templates of that version: give new fields a default, keep types readable, or release a new major version.`);
}
