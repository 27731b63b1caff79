/**
 * `flyte-task compat` on real git repositories: a plugin scaffolded and tagged, then changed
 * the ways issue 12 names; and a renamed field keeps reading templates written before the
 * rename, checked with the plugin's own Python.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, runBin } from "../support/cli.js";
import { generate, mypy, pytest, ruff, workDir } from "../support/plugin.js";
import { PYTHON } from "../support/python-env.js";

async function git(cwd: string, ...args: string[]): Promise<void> {
  const result = await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd });
  expect(result.status, result.stderr).toBe(0);
}

/** A plugin in its own repository, committed and tagged v0.1.0. */
async function released(): Promise<string> {
  const plugin = await generate(workDir("cft-compat-"), ["acme", "--field", "uri:str", "--field", "retries:int=3", "--field", "ratio:int=2", "--field", "mode:choice(read|write)=read", "--field", "gone:str", "--field", "spare:str=x"]);
  await git(plugin, "init", "--quiet");
  await git(plugin, "add", "--all");
  await git(plugin, "commit", "--quiet", "-m", "v0.1.0");
  await git(plugin, "tag", "v0.1.0");
  return plugin;
}

function editConfig(plugin: string, edit: (text: string) => string): void {
  const file = join(plugin, "flyte-task.config.ts");
  const text = readFileSync(file, "utf8");
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
}

async function compat(plugin: string, ...args: string[]) {
  return runBin("flyte-task", ["compat", "-C", plugin, ...args], plugin);
}

describe("flyte-task compat", () => {
  it("classifies each change against the newest version tag", async () => {
    const plugin = await released();
    expect((await compat(plugin)).stdout).toContain("No change to the schema since v0.1.0.");
    editConfig(plugin, (text) =>
      text
        .replace('uri: { type: "str" }', 'uri: { type: "int" }')
        .replace('ratio: { type: "int", default: 2 }', 'ratio: { type: "float", default: 2 }')
        .replace('retries: { type: "int", default: 3 }', 'retries: { type: "int", default: 5, description: "Tries." }')
        .replace(/\s*gone: \{ type: "str" \},/, "")
        .replace(/\s*spare: \{ type: "str", default: "x" \},/, "")
        .replace(/choices: \["read", "write"\]/, 'choices: ["read", "write", "append"]')
        .replace("  fields: {\n", '  fields: {\n    token: { type: "str" },\n    label: { type: "str", default: null },\n')
        .replace('taskType: "acme"', 'taskType: "acme_v2"'),
    );
    const result = await compat(plugin, "--json");
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { against: string; breaking: boolean; changes: { class: string; subject: string; change: string }[] };
    expect(report.against).toBe("v0.1.0");
    const classOf = (subject: string, fragment = "") => report.changes.filter((c) => c.subject === subject && c.change.includes(fragment)).map((c) => c.class);
    expect(classOf('field "uri"', "type str -> int")).toEqual(["breaking"]);
    expect(classOf('field "token"', "added without a default")).toEqual(["breaking"]);
    expect(classOf('field "ratio"', "widened")).toEqual(["warning"]);
    expect(classOf('field "gone"', "removed")).toEqual(["warning"]);
    expect(classOf('field "spare"', "removed")).toEqual(["compatible"]);
    expect(classOf('field "label"', "added with a default")).toEqual(["warning"]);
    expect(classOf('field "retries"', "default 3 -> 5")).toEqual(["warning"]);
    expect(classOf('field "mode"', "append")).toEqual(["warning"]);
    expect(classOf("task type")).toEqual(["warning"]);
    // A description change is not reported.
    expect(report.changes.filter((c) => c.subject === 'field "retries"')).toHaveLength(1);
    const text = await compat(plugin);
    expect(text.stdout).toMatch(/^ {2}breaking {3}field "uri": type str -> int/m);
  });

  it("treats an aliased rename as compatible, and the renamed field reads old templates", async () => {
    const plugin = await released();
    const renamed = await runBin("flyte-task", ["-C", plugin, "field", "rename", "retries", "attempts"], plugin);
    expect(renamed.status, renamed.stderr).toBe(0);
    expect(readFileSync(join(plugin, "flyte-task.config.ts"), "utf8")).toContain('aliases: ["retries"]');
    const result = await compat(plugin);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/compatible field "retries": renamed to "attempts"/);
    const probe = [
      "from flytekitplugins.acme import AcmeConfig",
      'old = {"uri": "u", "retries": 9, "ratio": 2, "mode": "read", "gone": "g", "spare": "x"}',
      "config = AcmeConfig.from_custom(old)",
      "assert config.attempts == 9, config",
      "custom = config.to_custom()",
      'assert custom["attempts"] == custom["retries"] == 9, custom',
      'assert AcmeConfig.from_custom({**old, "attempts": 4}).attempts == 4',
      'print("aliases ok")',
    ].join("\n");
    const python = await run(PYTHON, ["-c", probe], { cwd: plugin });
    expect(python.stdout + python.stderr).toContain("aliases ok");
    const tests = await pytest(plugin);
    expect(tests.status, tests.output).toBe(0);
    const lint = await ruff(plugin);
    expect(lint.status, lint.output).toBe(0);
    const types = await mypy(plugin);
    expect(types.status, types.output).toBe(0);
  });

  it.each([
    ["no git repository", false, [] as string[], /compat needs git/],
    ["an unknown ref", true, ["--against", "v9.9.9"], /"v9\.9\.9" is not a commit, branch or tag/],
  ])("refuses %s with one line and exit 2", async (_name, withGit, args, message) => {
    const plugin = withGit ? await released() : await generate(workDir("cft-compat-"), ["acme"]);
    const result = await compat(plugin, ...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it("refuses an old schema it cannot read with one line and exit 2", async () => {
    const plugin = await released();
    editConfig(plugin, (text) => text.replace("fields: {", "fields: {{"));
    await git(plugin, "commit", "--quiet", "-am", "broken");
    editConfig(plugin, (text) => text.replace("fields: {{", "fields: {"));
    const result = await compat(plugin, "--against", "HEAD");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: compat: the flyte-task\.config\.ts of HEAD cannot be read: flyte-task\.config\.ts:\d+:\d+/);
  });

  it("check fails, with file:line, while your code still uses a field that is gone", async () => {
    const plugin = await generate(workDir("cft-stale-"), ["acme", "--field", "uri:str", "--field", "retries:int=3"]);
    const executor = join(plugin, "flytekitplugins", "acme", "executor.py");
    const source = readFileSync(executor, "utf8");
    const at = source.indexOf("config = AcmeConfig.from_custom(tt.custom)");
    expect(at).toBeGreaterThan(0);
    const line = "        budget = config.retries  # the user's own code";
    writeFileSync(executor, source.replace("config = AcmeConfig.from_custom(tt.custom)\n", `config = AcmeConfig.from_custom(tt.custom)\n${line}\n`));
    expect((await runBin("flyte-task", ["check", "-C", plugin], plugin)).status).toBe(0);
    const removed = await runBin("flyte-task", ["field", "remove", "retries", "-C", plugin], plugin);
    expect(removed.status, removed.stderr).toBe(0);
    const check = await runBin("flyte-task", ["check", "-C", plugin], plugin);
    expect(check.status).toBe(1);
    const lineNumber = readFileSync(executor, "utf8").split("\n").indexOf(line) + 1;
    expect(check.stderr).toContain(`flytekitplugins/acme/executor.py:${lineNumber}: "retries" is not a field of flyte-task.config.ts any more`);
    writeFileSync(executor, readFileSync(executor, "utf8").replace(line, "        budget = 3"));
    expect((await runBin("flyte-task", ["check", "-C", plugin], plugin)).status).toBe(0);
  });

  it("release moves the versions together, records the template, and guards it from then on", async () => {
    const plugin = await released();
    const release = (...args: string[]) => runBin("flyte-task", ["release", "-C", plugin, ...args], plugin);
    const first = await release("minor");
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('git add --all && git commit -m "Release 0.2.0" && git tag v0.2.0');
    expect(readFileSync(join(plugin, "pyproject.toml"), "utf8")).toMatch(/^version = "0\.2\.0"$/m);
    expect(readFileSync(join(plugin, "flyte-task.config.ts"), "utf8")).toContain('image: "localhost:30000/flytekitplugins-acme:0.2.0"');
    const record = JSON.parse(readFileSync(join(plugin, "tests", "released", "0.2.0.json"), "utf8")) as Record<string, unknown>;
    expect(record).toMatchObject({ uri: "example", retries: 3, mode: "read" });
    expect((await runBin("flyte-task", ["check", "-C", plugin], plugin)).status).toBe(0);
    await git(plugin, "add", "--all");
    await git(plugin, "commit", "--quiet", "-m", "Release 0.2.0");
    await git(plugin, "tag", "v0.2.0");
    // A compatible change: the recorded template still runs.
    expect((await runBin("flyte-task", ["field", "remove", "spare", "-C", plugin], plugin)).status).toBe(0);
    expect((await runBin("flyte-task", ["field", "add", "label:str=none", "-C", plugin], plugin)).status).toBe(0);
    const compatible = await pytest(plugin);
    expect(compatible.status, compatible.output).toBe(0);
    expect(compatible.output).toMatch(/passed/);
    // A breaking one: the recorded template fails, and a non-major release is refused.
    expect((await runBin("flyte-task", ["field", "add", "token:str", "-C", plugin], plugin)).status).toBe(0);
    const breaking = await pytest(plugin);
    expect(breaking.status).toBe(1);
    expect(breaking.output).toContain("the template of 0.2.0 no longer runs");
    const refused = await release("patch");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('breaking   field "token": added without a default');
    expect(readFileSync(join(plugin, "pyproject.toml"), "utf8")).toMatch(/^version = "0\.2\.0"$/m);
    expect((await release("major")).status).toBe(0);
    expect(readFileSync(join(plugin, "pyproject.toml"), "utf8")).toMatch(/^version = "1\.0\.0"$/m);
  });
});
