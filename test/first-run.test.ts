/**
 * The first run as a new user meets it: questions in a real terminal (a pseudo-terminal driven
 * by Python's pty module), Ctrl-C, a non-empty folder, help and mistyped flags, and the printed
 * next steps run as they are printed.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { run, runBin } from "./support/cli.js";
import { REPO_ROOT } from "./support/python-env.js";
import { CTRL_C, DOWN, ENTER, inTerminal, type Step, type TerminalRun } from "./support/terminal.js";

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "cft-first-run-"));
});

/** Runs create-flyte-task in a pseudo-terminal, answering each question in turn. */
function createInTerminal(args: readonly string[], steps: readonly Step[], env: NodeJS.ProcessEnv = {}): Promise<TerminalRun> {
  return inTerminal([process.execPath, join(REPO_ROOT, "bin", "create-flyte-task.js"), ...args], cwd, steps, env);
}

function nonEmptyFolder(): string {
  const folder = join(cwd, "acme");
  mkdirSync(join(folder, ".git"), { recursive: true });
  writeFileSync(join(folder, "notes.txt"), "mine\n");
  writeFileSync(join(folder, ".git", "HEAD"), "ref: refs/heads/main\n");
  return folder;
}

/** Enter on every remaining question takes its default; the field loop's default is "no" after a first no. */
const DEFAULTS_TO_THE_END: readonly Step[] = [
  { expect: "Plugin name", send: ENTER },
  { expect: "Kind of task", send: ENTER },
  { expect: "Flyte task type", send: ENTER },
  { expect: "Container image", send: ENTER },
  { expect: "output", send: ENTER },
  { expect: "Add a config field", send: `n${ENTER}` },
  { expect: "Created acme", send: "" },
];

describe("in a terminal", () => {
  it("asks about a non-empty folder first, and Ctrl-C there leaves it as it was", async () => {
    const folder = nonEmptyFolder();
    const result = await createInTerminal(["acme"], [{ expect: "is not empty", send: CTRL_C }]);
    expect(result.timedOut).toBeNull();
    expect(result.exit, result.output).toBe(130);
    expect(result.output.trim().split("\n").at(-1)).toBe("Cancelled.");
    expect(result.output).not.toMatch(/error occured|force closed|at .*\.js/);
    expect(result.output.indexOf("is not empty")).toBeLessThan(result.output.indexOf("?") + 60);
    expect(readdirSync(folder).sort()).toEqual([".git", "notes.txt"]);
    expect(readdirSync(cwd)).toEqual(["acme"]);
  });

  it("cancels at a later question with exit 130 and nothing written", async () => {
    const result = await createInTerminal([], [
      { expect: "Folder for the new plugin", send: `acme${ENTER}` },
      { expect: "Plugin name", send: CTRL_C },
    ]);
    expect(result.exit, result.output).toBe(130);
    expect(result.output.trim().split("\n").at(-1)).toBe("Cancelled.");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("the Cancel answer cancels too", async () => {
    nonEmptyFolder();
    const result = await createInTerminal(["acme"], [{ expect: "is not empty", send: ENTER }]);
    expect(result.exit, result.output).toBe(130);
    expect(readdirSync(join(cwd, "acme")).sort()).toEqual([".git", "notes.txt"]);
  });

  it("empties the folder when asked, keeping .git, then writes the plugin", async () => {
    const folder = nonEmptyFolder();
    const result = await createInTerminal(["acme", "--no-git"], [{ expect: "is not empty", send: `${DOWN}${ENTER}` }, ...DEFAULTS_TO_THE_END]);
    expect(result.timedOut, result.output).toBeNull();
    expect(result.exit, result.output).toBe(0);
    expect(existsSync(join(folder, "notes.txt"))).toBe(false);
    expect(readFileSync(join(folder, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    expect(existsSync(join(folder, "flyte-task.config.ts"))).toBe(true);
  });

  it("writes alongside the existing files when asked", async () => {
    const folder = nonEmptyFolder();
    const result = await createInTerminal(["acme", "--no-git"], [{ expect: "is not empty", send: `${DOWN}${DOWN}${ENTER}` }, ...DEFAULTS_TO_THE_END]);
    expect(result.exit, result.output).toBe(0);
    expect(readFileSync(join(folder, "notes.txt"), "utf8")).toBe("mine\n");
    expect(existsSync(join(folder, "flyte-task.config.ts"))).toBe(true);
  });

  it("says that list and dict defaults are JSON", async () => {
    const result = await createInTerminal(["acme", "--no-git"], [
      ...DEFAULTS_TO_THE_END.slice(0, 5),
      { expect: "Add a config field", send: `y${ENTER}` },
      { expect: "Field name", send: `tags${ENTER}` },
      { expect: "Type", send: CTRL_C },
    ]);
    expect(result.exit).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
    const later = await createInTerminal(["acme", "--no-git", "--field", "x:str"], [{ expect: "Plugin name", send: CTRL_C }]);
    expect(later.exit).toBe(130);
    const prompt = await createInTerminal(["acme", "--no-git", "--name", "acme", "--kind", "generic", "--task-type", "acme", "--image", "x.io/a:1", "--output", "r:str"], [
      { expect: "Add a config field", send: `y${ENTER}` },
      { expect: "Field name", send: `tags${ENTER}` },
      { expect: "Type", send: ENTER },
      { expect: "Default", send: CTRL_C },
    ]);
    // The terminal may wrap the long question: compare with white space closed up.
    expect(prompt.output.replace(/\s+/g, "")).toMatch(/Default,asinPythonorJSON.*listsanddictsinJSON/);
    expect(prompt.exit).toBe(130);
  });

  it("Ctrl-C during --install keeps the plugin and says how to finish", async () => {
    // A Python that takes its time: the install is under way when Ctrl-C comes.
    const slowPython = join(cwd, "slow-python");
    writeFileSync(slowPython, "#!/bin/sh\nsleep 30\n");
    chmodSync(slowPython, 0o755);
    const result = await createInTerminal(["acme", "--yes", "--no-git", "--install"], [{ expect: "install: creating .venv", send: CTRL_C }], { PYTHON: slowPython });
    expect(result.exit, result.output).toBe(130);
    expect(result.output).toContain("Cancelled.");
    expect(result.output).toContain("The plugin is in acme");
    expect(existsSync(join(cwd, "acme", "flyte-task.config.ts"))).toBe(true);
  });
});

describe("Ctrl-C while the files are written", () => {
  it("leaves nothing: the signal comes at the rename of the plugin into place", async () => {
    // strace delivers SIGINT exactly at the rename, as a Ctrl-C at that instant would.
    const args = ["-f", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2", "-e", "inject=rename,renameat,renameat2:signal=SIGINT:when=1"];
    const result = await run("strace", [...args, process.execPath, join(REPO_ROOT, "bin", "create-flyte-task.js"), "acme", "--yes", "--no-git"], { cwd });
    expect(result.status, result.stderr).toBe(130);
    expect(result.stdout.trim().split("\n").slice(-2)).toEqual(["Cancelled.", "Nothing was written."]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("--install", () => {
  it("says what to run to resume when a step fails", async () => {
    const result = await run(process.execPath, [join(REPO_ROOT, "bin", "create-flyte-task.js"), "acme", "--yes", "--no-git", "--install"], { cwd, env: { PYTHON: "/bin/false" } });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/failed .*; to resume: cd .*acme && rm -rf \.venv && \/bin\/false -m venv \.venv && \.venv\/bin\/pip install -e "\.\[test\]" && \.venv\/bin\/pytest/);
    expect(existsSync(join(cwd, "acme", "flyte-task.config.ts"))).toBe(true);
  });
});

describe("help and mistakes", () => {
  it.each([
    [["regenrate"], 'unknown command "regenrate" (did you mean regenerate?)'],
    [["check", "--dif"], 'unknown flag "--dif" (did you mean --diff?)'],
    [["field", "ad", "x:int"], 'unknown field command "ad" (did you mean add?)'],
  ])("flyte-task %j suggests the nearest valid word", async (args, message) => {
    const result = await runBin("flyte-task", args, cwd);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([`error: ${message}${message.includes("command \"ad\"") ? ": use add, remove, rename or retype" : ": see flyte-task --help"}`]);
  });

  it("create-flyte-task suggests --field for --feild, and -- when npm swallowed the flags", async () => {
    const typo = await runBin("create-flyte-task", ["acme", "--feild", "a:str"], cwd);
    expect(typo.stderr).toContain('unknown flag "--feild" (did you mean --field?)');
    const swallowed = await runBin("create-flyte-task", ["acme", "a:str"], cwd);
    expect(swallowed.status).toBe(2);
    expect(swallowed.stderr).toContain("npm init flyte-task acme -- --field");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each(["regenerate", "check", "field"])("flyte-task %s --help is the command's own, with an example", async (command) => {
    const result = await runBin("flyte-task", [command, "--help"], cwd);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: flyte-task ${command}`));
    expect(result.stdout).toMatch(/Example:\n {2}npx flyte-task .+\n$/);
    if (command === "field") expect(result.stdout).toContain("dict[str,secret]");
  });

  it("flyte-task field alone prints the field help, with the types and the default syntax", async () => {
    const result = await runBin("flyte-task", ["field"], cwd);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("Usage: flyte-task field");
    expect(result.stdout).toContain('tags:list[str]=["a","b"]');
  });

  it("create-flyte-task --help lists the field types and ends with an example", async () => {
    const result = await runBin("create-flyte-task", ["--help"], cwd);
    expect(result.stdout).toContain("choice(read|write)");
    expect(result.stdout).toMatch(/Example:\n {2}npm init flyte-task .+\n$/);
  });
});

describe("next steps", () => {
  it.each([
    ["npm/10.8.2 node/v20.20.2 linux x64", "npm install", "npx flyte-task check"],
    ["pnpm/9.1.0 npm/? node/v20.20.2 linux x64", "pnpm install", "pnpm exec flyte-task check"],
    ["yarn/1.22.22 npm/? node/v20.20.2 linux x64", "yarn install", "yarn flyte-task check"],
    ["bun/1.1.0 npm/? node/v20.20.2 linux x64", "bun install", "bunx flyte-task check"],
  ])("use the package manager that ran the tool (%s)", async (agent, install, exec) => {
    const result = await run(process.execPath, [join(REPO_ROOT, "bin", "create-flyte-task.js"), "acme", "--yes", "--no-git"], { cwd, env: { npm_config_user_agent: agent } });
    expect(result.status, result.stderr).toBe(0);
    const steps = result.stdout.slice(result.stdout.indexOf("Next:")).split("\n").slice(1).map((line) => line.trim()).filter(Boolean);
    expect(steps[0]).toBe("cd acme");
    const installAt = steps.findIndex((line) => line.startsWith(`${install} `) || line === install);
    expect(installAt).toBeGreaterThan(0);
    expect(steps.findIndex((line) => line.startsWith(exec))).toBeGreaterThan(installAt);
    expect(steps.filter((line) => !line.startsWith("#")).every((line) => !/^(edit|then|run)\b/.test(line))).toBe(true);
  });

  it("point the examples at what they hold, not at a TODO", async () => {
    const result = await runBin("create-flyte-task", ["sqlite3", "--example", "sqlite", "--yes", "--no-git"], cwd);
    expect(result.stdout).not.toContain("TODO");
    expect(result.stdout).toContain("executor is complete");
  });
});
