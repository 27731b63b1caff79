/**
 * The create-flyte-task bin as a black box: bad input gets one line naming the value and the
 * rule, exit 2, and nothing written; without a terminal it never prompts.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { expectOneLineRefusal, run, runBin } from "./support/cli.js";
import { REPO_ROOT } from "./support/python-env.js";

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "cft-cli-"));
});

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

async function expectRefused(args: readonly string[], ...fragments: string[]): Promise<void> {
  const before = listing(cwd);
  const result = await runBin("create-flyte-task", args, cwd);
  expectOneLineRefusal(result, fragments);
  expect(listing(cwd)).toEqual(before);
}

describe("bad input", () => {
  it.each([
    [["--name", ""], "plugin name is empty"],
    [["Acme"], 'plugin name "Acme" is invalid'],
    [["acme query"], 'plugin name "acme query" is invalid'],
    [["x", "--name", "../acme"], 'plugin name "../acme" is invalid'],
    [["x", "--name", "acme/query"], 'plugin name "acme/query" is invalid'],
    [["9acme"], 'plugin name "9acme" is invalid'],
    [["acme--query"], 'plugin name "acme--query" is invalid'],
  ])("refuses the name in %j", async (args, fragment) => {
    await expectRefused(["--yes", ...args], fragment, "lower-case words");
  });

  it.each([
    [["acme", "--task-type", "spark"], 'task type "spark" is already taken'],
    [["acme", "--task-type", "Acme"], 'task type "Acme" is invalid'],
    [["acme", "--field", "1x:int"], 'field name "1x" is invalid'],
    [["acme", "--field", "class:int"], "Python keyword"],
    [["acme", "--field", "_x:int"], 'must not start with "_"'],
    [["acme", "--field", "x:int", "--field", "x:str"], 'field "x" is defined twice'],
    [["acme", "--field", "task_config:str"], 'field name "task_config" is reserved'],
    [["acme", "--field", "container_image:str"], 'field name "container_image" is reserved'],
    [["acme", "--kind", "sql", "--field", "query_template:str"], 'field name "query_template" is reserved'],
    [["acme", "--field", "x:tuple"], 'unknown type "tuple"'],
    [["acme", "--field", "retries:int=abc"], '"abc" is not a valid int'],
    [["acme", "--field", "flag:bool=maybe"], '"maybe" is not a valid bool'],
    [["acme", "--field", "tags:list[str]=[1]"], "is not a valid list[str]"],
    [["acme", "--image", "Not An Image"], 'container image "Not An Image" is invalid'],
    [["acme", "--output", "result"], 'output "result" is malformed'],
    [["acme", "--kind", "batch"], 'kind "batch" is unknown'],
    [["acme", "--example", "postgres"], '"postgres" is unknown'],
    [["acme", "--description", "nofield=text"], '--description "nofield=text"'],
    [["acme", "--bogus"], "--bogus"],
  ])("refuses %j", async (args, fragment) => {
    await expectRefused(["--yes", ...args], fragment);
  });

  it("refuses an answers file that is missing, not JSON, or has unknown keys", async () => {
    writeFileSync(join(cwd, "bad.json"), "{ not json");
    writeFileSync(join(cwd, "extra.json"), JSON.stringify({ name: "acme", colour: "blue" }));
    await expectRefused(["acme", "--yes", "--answers", "missing.json"], '"missing.json" does not exist');
    await expectRefused(["acme", "--yes", "--answers", "bad.json"], '"bad.json" is not valid JSON');
    await expectRefused(["acme", "--yes", "--answers", "extra.json"], 'unknown key "colour"');
  });

  it("refuses a target that is a file, or a non-empty folder without --force", async () => {
    writeFileSync(join(cwd, "afile"), "keep me");
    mkdirSync(join(cwd, "full"));
    writeFileSync(join(cwd, "full", "mine.txt"), "keep me too");
    await expectRefused(["afile", "--yes"], "is a file");
    await expectRefused(["full", "--yes"], "is not empty", "--force");
    expect(readFileSync(join(cwd, "full", "mine.txt"), "utf8")).toBe("keep me too");
  });

  it("without a terminal, names the flags to pass instead of prompting", async () => {
    await expectRefused([], "missing the plugin name", "--name");
  });
});

describe("unattended runs", () => {
  it("prints help and version without doing anything", async () => {
    const help = await runBin("create-flyte-task", ["--help"], cwd);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--task-type <type>");
    const version = await runBin("create-flyte-task", ["-V"], cwd);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(listing(cwd)).toEqual([]);
  });

  it("lists the files of a dry run and writes nothing", async () => {
    const result = await runBin("create-flyte-task", ["acme", "--yes", "--dry-run", "--field", "uri:str"], cwd);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("create  flytekitplugins/acme/config.py");
    expect(listing(cwd)).toEqual([]);
  });

  it("takes answers from a file, with flags winning", async () => {
    writeFileSync(join(cwd, "answers.json"), JSON.stringify({ name: "acme-db", taskType: "acme_db_query", fields: ["uri:str", { name: "retries", type: "int", default: 2 }] }));
    const result = await runBin("create-flyte-task", ["plugin", "--answers", "answers.json", "--image", "ghcr.io/acme/db:1", "--no-git"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const config = readFileSync(join(cwd, "plugin", "flyte-task.config.ts"), "utf8");
    expect(config).toContain('taskType: "acme_db_query"');
    expect(config).toContain('image: "ghcr.io/acme/db:1"');
    expect(config).toContain('retries: { type: "int", default: 2 }');
    expect(readdirSync(join(cwd, "plugin", "flytekitplugins"))).toEqual(["acme_db"]);
  });

  it("without a terminal, takes the defaults for what flags did not give", async () => {
    const result = await runBin("create-flyte-task", ["acme-query", "--no-git"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const config = readFileSync(join(cwd, "acme-query", "flyte-task.config.ts"), "utf8");
    expect(config).toContain('taskType: "acme_query"');
    expect(config).toContain('image: "localhost:30000/flytekitplugins-acme-query:0.1.0"');
  });

  it("makes a git repository whose first commit holds every file, unless --no-git", async () => {
    const result = await runBin("create-flyte-task", ["acme", "--yes"], cwd);
    expect(result.status, result.stderr).toBe(0);
    const plugin = join(cwd, "acme");
    const git = async (...args: string[]) => (await run("git", args, { cwd: plugin })).stdout.trim();
    expect(await git("log", "--format=%s")).toBe("Scaffold with create-flyte-task");
    expect(await git("status", "--porcelain", "--untracked-files=all")).toBe("");
    const committed = (await git("ls-files")).split("\n").sort();
    const onDisk = listing(plugin).filter((path) => !path.startsWith(".git/") && path !== ".git" && statSync(join(plugin, path)).isFile());
    expect(committed).toEqual(onDisk);
    const none = await runBin("create-flyte-task", ["other", "--yes", "--no-git"], cwd);
    expect(none.status, none.stderr).toBe(0);
    expect(existsSync(join(cwd, "other", ".git"))).toBe(false);
  });

  it("writes the same bytes in every run, whatever the folder, locale and time zone", async () => {
    const args = ["--field", "uri:str", "--field", "ratio:float=0.5", "--field", "tags:dict[str,int]={\"b\": 2, \"a\": 1}", "--yes", "--no-git"];
    const first = await run(process.execPath, [join(REPO_ROOT, "bin/create-flyte-task.js"), "acme", ...args], { cwd });
    const elsewhere = mkdtempSync(join(tmpdir(), "cft-cli-other-"));
    const env = { TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" };
    const second = await run(process.execPath, [join(REPO_ROOT, "bin/create-flyte-task.js"), "acme", ...args], { cwd: elsewhere, env });
    expect([first.status, second.status], `${first.stderr}${second.stderr}`).toEqual([0, 0]);
    const files = listing(join(cwd, "acme")).filter((path) => statSync(join(cwd, "acme", path)).isFile());
    expect(files.length).toBeGreaterThan(10);
    expect(listing(join(elsewhere, "acme")).filter((path) => statSync(join(elsewhere, "acme", path)).isFile())).toEqual(files);
    for (const path of files) expect(readFileSync(join(elsewhere, "acme", path), "utf8"), path).toBe(readFileSync(join(cwd, "acme", path), "utf8"));
  });
});
