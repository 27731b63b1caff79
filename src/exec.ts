/**
 * The outside programs the tool runs, through execa: git for the first commit, and python,
 * pip and pytest for `--install`. Progress goes to `log` line by line.
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

/** Creates `.venv` in the plugin, installs it with its test extras, and runs its tests. */
export async function installAndTest(root: string, log: Log, python = process.env.PYTHON ?? "python3"): Promise<void> {
  const venv = join(root, ".venv");
  const bin = join(venv, process.platform === "win32" ? "Scripts" : "bin");
  if (!existsSync(venv)) {
    log("install: creating .venv");
    await run(python, ["-m", "venv", venv], root, log);
  }
  log("install: pip install -e .[test] (this downloads flytekit the first time)");
  await run(join(bin, "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"], root, log);
  log("test: pytest");
  await run(join(bin, "python"), ["-m", "pytest", "-q"], root, log);
}
