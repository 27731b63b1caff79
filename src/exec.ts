/**
 * The outside programs the tool runs, through execa: git for the first commit (its output goes
 * to `log` line by line), and python, pip and pytest for `--install`, shown as they write it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

type Log = (line: string) => void;

async function run(command: string, args: readonly string[], cwd: string, log: Log): Promise<void> {
  const { execa } = await import("execa");
  const child = execa(command, args, { cwd, all: true, reject: false });
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim() !== "") log(`  ${line}`);
  });
  const result = await child;
  if (result.exitCode !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.exitCode ?? result.signal})`);
  }
}

/** `git init` and a first commit; skipped with a note when git is missing or the folder is in a repository already. */
export async function initRepository(root: string, log: Log): Promise<void> {
  const { execa } = await import("execa");
  const inside = await execa("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, reject: false });
  if (inside.exitCode === 0) {
    log("git: the folder is inside a repository already; no new one made");
    return;
  }
  if (inside.failed && (inside as { code?: string }).code === "ENOENT") {
    log("git: not found; skipped git init");
    return;
  }
  log("git: init and first commit");
  await run("git", ["init", "--quiet"], root, log);
  await run("git", ["add", "--all"], root, log);
  // The user's own identity when git has one; a stand-in only so the first commit can be made.
  const identity = await execa("git", ["config", "user.email"], { cwd: root, reject: false });
  const fallback = identity.exitCode === 0 ? [] : ["-c", "user.name=create-flyte-task", "-c", "user.email=create-flyte-task@users.noreply.local"];
  await run("git", [...fallback, "commit", "--quiet", "--no-verify", "-m", "Scaffold with create-flyte-task"], root, log);
}

/**
 * Runs a long step with its output shown as the program writes it (pip's progress, pytest's
 * report), not line by line through `log`; a failure says what to run to resume.
 */
async function runShown(command: string, args: readonly string[], cwd: string, resume: string): Promise<void> {
  const { execa } = await import("execa");
  const result = await execa(command, args, { cwd, stdio: "inherit", reject: false });
  if (result.exitCode !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.exitCode ?? result.signal}); to resume: cd ${cwd} && ${resume}`);
  }
}

/** Creates `.venv` in the plugin, installs it with its test extras, and runs its tests. */
export async function installAndTest(root: string, log: Log, python = process.env.PYTHON ?? "python3"): Promise<void> {
  const venv = join(root, ".venv");
  const bin = join(venv, process.platform === "win32" ? "Scripts" : "bin");
  const pip = '.venv/bin/pip install -e ".[test]" && .venv/bin/pytest';
  if (!existsSync(venv)) {
    log("install: creating .venv");
    await runShown(python, ["-m", "venv", venv], root, `rm -rf .venv && ${python} -m venv .venv && ${pip}`);
  }
  log("install: pip install -e .[test] (this downloads flytekit the first time)");
  await runShown(join(bin, "python"), ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-e", ".[test]"], root, pip);
  log("test: pytest");
  await runShown(join(bin, "python"), ["-m", "pytest"], root, ".venv/bin/pytest");
}
