/**
 * Create: makes a new plugin from a validated schema. The one path every creation takes,
 * unattended from the CLI or after the Yeoman generator's prompts: plan the files, apply them
 * all at once, then git, the optional install, and the next steps.
 */
import { existsSync, rmSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { applyChanges, removeLeftStaging } from "./apply.js";
import { onCancel } from "./cancel.js";
import { withLock } from "./lock.js";
import { initRepository, installAndTest } from "./exec.js";
import { changeLines, planScaffold, visibleChanges } from "./plan.js";
import type { TaskSchema } from "./schema.js";
import { STATE_DIR } from "./state.js";
import { checkTarget } from "./target.js";

/** What the create flags ask for beyond the answers. */
export interface CreateOptions {
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly install: boolean;
  readonly git: boolean;
}

export type Log = (line: string) => void;

export async function createPlugin(schema: TaskSchema, target: string, options: CreateOptions, log: Log): Promise<void> {
  checkTarget(target, options.force);
  const changes = await planScaffold(target, schema);
  const listed = changeLines(visibleChanges(changes));
  if (options.dryRun) {
    log(`Would write ${listed.length} files in ${target}, and the ${STATE_DIR}/ folder regenerate uses:`);
    for (const line of listed) log(`  ${line}`);
    return;
  }
  for (const name of removeLeftStaging(dirname(resolve(target)))) log(`Removed ${name}, left by an interrupted create`);
  await placePlugin(target, changes);
  for (const line of listed) log(`  ${line}`);
  log(`Created ${schema.name} in ${target}`);
  const where = relative(process.cwd(), target) || ".";
  // From here the plugin is whole: a cancel keeps it and says how to finish.
  const kept = onCancel(() => `The plugin is in ${where}; the steps below "Next:" in its README finish the set-up.`);
  if (options.git) await initRepository(target, log);
  if (options.install) await installAndTest(target, log);
  kept();
  log(nextSteps(schema, where, options.install, packageManager(process.env.npm_config_user_agent)).join("\n"));
}

/** Writes the plan; a cancel before it is in place leaves nothing (a folder this run made is removed). */
async function placePlugin(target: string, changes: Parameters<typeof applyChanges>[1]): Promise<void> {
  const existed = existsSync(target);
  const undo = onCancel(() => {
    if (!existed) rmSync(target, { recursive: true, force: true });
    return existed ? undefined : "Nothing was written.";
  });
  // Into an existing folder (--force) the change goes through its journal: one writer at a time.
  if (existed) await withLock(target, async () => applyChanges(target, changes));
  else applyChanges(target, changes);
  // A Ctrl-C that came while the files were written (synchronously) waits in the event loop's
  // poll phase: give it one short poll here, while the plugin can still be taken back.
  await new Promise((resolve) => setTimeout(resolve, 5));
  undo();
}

/** The package manager that ran the tool, from the user agent npm, pnpm, yarn and bun set. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

export function packageManager(userAgent: string | undefined): PackageManager {
  const name = userAgent?.split("/")[0];
  return name === "pnpm" || name === "yarn" || name === "bun" ? name : "npm";
}

const INSTALL: Readonly<Record<PackageManager, string>> = { npm: "npm install", pnpm: "pnpm install", yarn: "yarn install", bun: "bun install" };
const EXEC: Readonly<Record<PackageManager, string>> = { npm: "npx flyte-task", pnpm: "pnpm exec flyte-task", yarn: "yarn flyte-task", bun: "bunx flyte-task" };

/**
 * The next steps, each line a command to run as it is, in order, from the folder the tool ran
 * in; what is not a command is a shell comment.
 */
export function nextSteps(schema: TaskSchema, where: string, installed: boolean, manager: PackageManager): string[] {
  const executor = `flytekitplugins/${schema.name.replace(/-/g, "_")}/executor.py`;
  const lines = ["", "Next:", `  cd ${where}`];
  if (!installed) lines.push('  python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/pytest');
  lines.push(`  ${INSTALL[manager]}   # the flyte-task command, pinned in package.json`, `  ${EXEC[manager]} check`);
  lines.push(
    schema.example === null
      ? `  # then do the task's work where the TODO in ${executor} says, and build the image (README.md)`
      : `  # the example's executor is complete (${executor}); build the image as README.md says`,
  );
  return lines;
}
