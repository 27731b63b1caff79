/**
 * Runs the built bins as a user would: a child process with no terminal. Children run
 * asynchronously so that a long one (pip, pytest) never blocks the test worker's event loop.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./python-env.js";

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
}

/** Runs a command to completion, collecting its output; never rejects on a non-zero exit. */
export function run(command: string, args: readonly string[], { cwd, env = {}, input = "" }: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, env: { ...process.env, FORCE_COLOR: "0", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    // A child that exits without reading its input closes the pipe: that is no failure of the test.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

export function runBin(bin: "create-flyte-task" | "flyte-task", args: readonly string[], cwd: string): Promise<RunResult> {
  return run(process.execPath, [join(REPO_ROOT, "bin", `${bin}.js`), ...args], { cwd });
}

/** The bad-input contract: exit 2 and one line on stderr holding every fragment. */
export function expectOneLineRefusal(result: RunResult, fragments: readonly string[]): void {
  expect(result.status, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}
