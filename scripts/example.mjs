#!/usr/bin/env node
// Runs create-flyte-task on its built-in example (flytekit's SQLite3 task, re-created as a
// plugin) into a fresh folder, unattended. Extra arguments go to the tool, e.g. --install.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const target = join(mkdtempSync(join(tmpdir(), "flyte-task-example-")), "sqlite3");
const bin = new URL("../bin/create-flyte-task.js", import.meta.url).pathname;
const run = spawnSync(process.execPath, [bin, target, "--example", "sqlite", "--yes", ...process.argv.slice(2)], { stdio: "inherit" });
if (run.status === 0) {
  console.log(`\nThe example plugin is in ${target}. Run its tests with:`);
  console.log(`  cd ${target} && python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest`);
}
process.exit(run.status ?? 1);
