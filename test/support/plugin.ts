/** Generates plugins with the real bin and runs their own checks with the real Python tools. */
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validate } from "dockerfile-utils";
import { run, runBin } from "./cli.js";
import { FLOOR_VENV_BIN, VENV_BIN } from "./python-env.js";

export function workDir(prefix = "cft-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs create-flyte-task unattended in `cwd`; throws with its output when it fails. */
export async function generate(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runBin("create-flyte-task", [...args, "--yes", "--no-git"], cwd);
  if (result.status !== 0) throw new Error(`create-flyte-task ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return join(cwd, args[0]!);
}

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

export async function venvTool(tool: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, bin = VENV_BIN): Promise<ToolRun> {
  const result = await run(join(bin, tool), args, { cwd, env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The plugin's own test suite, as its README says to run it; `floor`: on the lowest flytekit it declares. */
export function pytest(plugin: string, { floor = false } = {}): Promise<ToolRun> {
  return venvTool("pytest", ["-q", "-p", "no:cacheprovider"], plugin, {}, floor ? FLOOR_VENV_BIN : VENV_BIN);
}

export function passedCount(run: ToolRun): number {
  return Number(/(\d+) passed/.exec(run.output)?.[1] ?? 0);
}

/** ruff check and ruff format --check with default settings; `floor`: the lowest ruff plugins declare. */
export async function ruff(plugin: string, { floor = false } = {}): Promise<ToolRun> {
  const bin = floor ? FLOOR_VENV_BIN : VENV_BIN;
  const check = await venvTool("ruff", ["check", "--no-cache", "."], plugin, {}, bin);
  const format = await venvTool("ruff", ["format", "--check", "--no-cache", "."], plugin, {}, bin);
  return { status: (check.status ?? 1) || (format.status ?? 1), output: `${check.output}${format.output}` };
}

/**
 * mypy with its default checks over the plugin's Python. flytekit ships no type information,
 * so its names are Any; the plugin's own code must still type-check. Nothing is cached.
 */
export function mypy(plugin: string): Promise<ToolRun> {
  const options = ["--ignore-missing-imports", "--namespace-packages", "--explicit-package-bases", "--cache-dir=/dev/null"];
  return venvTool("mypy", [...options, "flytekitplugins", "tests"], plugin);
}

/**
 * test/support/fuzz-from-custom.py against the plugin's config: `trials` hostile customs, each
 * read and round-tripped through a protobuf Struct, or refused with an error naming its field.
 */
export function fuzzFromCustom(plugin: string, module: string, configClass: string, { trials = 3000, seed = 20261129, floor = false } = {}): Promise<ToolRun> {
  const script = join(import.meta.dirname, "fuzz-from-custom.py");
  const args = [script, `flytekitplugins.${module}`, configClass, String(trials), String(seed)];
  return venvTool("python", args, plugin, { PYTHONPATH: plugin }, floor ? FLOOR_VENV_BIN : VENV_BIN);
}

const require = createRequire(import.meta.url);

/** Findings of two Dockerfile linters from npm: dockerfilelint's rules and dockerfile-utils' validator. */
export function lintDockerfile(plugin: string): string[] {
  const content = readFileSync(join(plugin, "Dockerfile"), "utf8");
  const dockerfilelint = require("dockerfilelint") as { run(configDir: string, content: string): { title: string; line: number }[] };
  const lint = dockerfilelint.run(plugin, content).map((item) => `dockerfilelint ${item.line}: ${item.title}`);
  const validation = validate(content).map((item) => `dockerfile-utils ${item.range.start.line + 1}: ${item.message}`);
  return [...lint, ...validation];
}
