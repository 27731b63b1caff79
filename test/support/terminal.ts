/**
 * A command run in a pseudo-terminal (test/support/pty-run.py, Python's pty module) and answered
 * as a person would: each step waits for its text, then types its answer.
 */
import { join } from "node:path";
import { expect } from "vitest";
import { run } from "./cli.js";
import { REPO_ROOT } from "./python-env.js";

export interface Step {
  readonly expect: string;
  readonly send: string;
}

export interface TerminalRun {
  readonly exit: number;
  readonly output: string;
  readonly timedOut: number | null;
}

export const CTRL_C = "\u0003";
export const ENTER = "\r";
export const DOWN = "\u001b[B";

/** Runs `argv` in `cwd` in a pseudo-terminal, answering each step in turn. */
export async function inTerminal(argv: readonly string[], cwd: string, steps: readonly Step[], env: NodeJS.ProcessEnv = {}): Promise<TerminalRun> {
  const spec = { argv, cwd, steps, timeout: 60 };
  const result = await run("python3", [join(REPO_ROOT, "test", "support", "pty-run.py")], { cwd, input: JSON.stringify(spec), env });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as TerminalRun;
}
