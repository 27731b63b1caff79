#!/usr/bin/env node
// Runs create-flyte-task on its built-in example (flytekit's SQLite3 task, re-created as a
// plugin) into a fresh folder, unattended, from that folder's parent, so that the next steps
// the tool prints (starting with `cd sqlite3`) work from there. Extra arguments go to the
// tool, e.g. --install.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const parent = mkdtempSync(join(tmpdir(), "flyte-task-example-"));
const bin = new URL("../bin/create-flyte-task.js", import.meta.url).pathname;
const run = spawnSync(process.execPath, [bin, "sqlite3", "--example", "sqlite", "--yes", ...process.argv.slice(2)], { stdio: "inherit", cwd: parent });
if (run.status === 0) console.log(`\n(The steps above start in ${parent}: cd ${parent} first.)`);
process.exit(run.status ?? 1);
