/** Runs the built bins as a user would: a child process with no terminal. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./python-env.js";

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBin(bin: "create-flyte-task" | "flyte-task", args: readonly string[], cwd: string, input?: string): RunResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, "bin", `${bin}.js`), ...args], {
    cwd,
    encoding: "utf8",
    input: input ?? "",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
