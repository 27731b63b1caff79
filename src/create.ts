/**
 * Create: makes a new plugin from a validated schema. The one path every creation takes,
 * unattended from the CLI or after the Yeoman generator's prompts: plan the files, apply them
 * all at once, then git, the optional install, and the next steps.
 */
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { applyChanges, removeLeftStaging } from "./apply.js";
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
  // Into an existing folder (--force) the change goes through its journal: one writer at a time.
  if (existsSync(target)) await withLock(target, async () => applyChanges(target, changes));
  else applyChanges(target, changes);
  for (const line of listed) log(`  ${line}`);
  log(`Created ${schema.name} in ${target}`);
  if (options.git) await initRepository(target, log);
  if (options.install) await installAndTest(target, log);
  log(nextSteps(target, options.install));
}

function nextSteps(target: string, installed: boolean): string {
  const lines = ["", "Next:", `  cd ${relative(process.cwd(), target) || "."}`];
  if (!installed) lines.push('  python -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/pytest');
  lines.push("  edit the executor (the TODO in executor.py), then build and push the image (see README.md)");
  return lines.join("\n");
}
