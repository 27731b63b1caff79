/**
 * End to end for `flyte-task`: a plugin's schema changes through the field commands and by
 * hand; after each regenerate the plugin's own tests pass against real flytekit and the
 * user's code and test are intact. Every test starts from its own copy of one plugin that the
 * user has filled in, so each can fail, or run alone with -t, without touching the others.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runBin, type RunResult } from "../support/cli.js";
import { generate, pytest, ruff, workDir } from "../support/plugin.js";

/** The filled-in plugin every test copies; `plugin` is the current test's copy. */
let filledIn: string;
let plugin: string;

function flyteTask(...args: string[]): Promise<RunResult> {
  return runBin("flyte-task", ["-C", plugin, ...args], plugin);
}

function read(path: string): string {
  return readFileSync(join(plugin, path), "utf8");
}

function write(path: string, content: string): void {
  writeFileSync(join(plugin, path), content);
}

/** Every file's hash, to prove that a command changed no byte. */
function snapshot(): Map<string, string> {
  const files = readdirSync(plugin, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(files.map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return [path, createHash("sha256").update(readFileSync(path)).digest("hex")];
  }));
}

async function expectPluginHealthy(): Promise<void> {
  const tests = await pytest(plugin);
  expect(tests.status, tests.output).toBe(0);
  const lint = await ruff(plugin);
  expect(lint.status, lint.output).toBe(0);
}

const EXECUTOR = "flytekitplugins/acme/executor.py";
const USER_TEST = "tests/test_user.py";
const USER_LINE = "        # The user's own logic: the service address and the retry budget.";

function expectUserCodeIntact(retryField: string): void {
  expect(read(EXECUTOR)).toContain(USER_LINE);
  expect(read(EXECUTOR)).toContain(`budget = config.${retryField}`);
  expect(read(USER_TEST)).toContain("def test_user_result_names_the_service");
}

beforeAll(async () => {
  plugin = await generate(workDir("cft-sync-"), ["acme", "--field", "uri:str", "--field", "retries:int=3"]);
  filledIn = plugin;
  // The user fills in the executor and adds a test of their own.
  const executor = read(EXECUTOR);
  const start = executor.indexOf("        # TODO");
  write(EXECUTOR, `${executor.slice(0, start).replace("import json\n", "")}${USER_LINE}\n        budget = config.retries\n        result = f"{config.uri} x{budget} {sorted(kwargs)}"\n        return to_literal_map(tt, AcmeOutputs(result=result))\n`);
  write(
    USER_TEST,
    [
      '"""The user\'s own test."""',
      "",
      "from flytekitplugins.acme import AcmeConfig, AcmeTask",
      "",
      "",
      "def test_user_result_names_the_service() -> None:",
      '    config = AcmeConfig(uri="db://warehouse", retries=2)',
      '    task = AcmeTask(name="user_task", task_config=config, inputs={"limit": int})',
      "",
      '    assert task(limit=1).startswith("db://warehouse x2")',
      "",
    ].join("\n"),
  );
  await expectPluginHealthy();
});

beforeEach(() => {
  plugin = join(workDir("cft-sync-case-"), "acme");
  cpSync(filledIn, plugin, { recursive: true });
});

describe("flyte-task keeps a plugin in sync", () => {
  it("regenerates an unchanged schema without changing a byte", async () => {
    const before = snapshot();
    const result = await flyteTask("regenerate");
    expect(result.status, result.stderr).toBe(0);
    expect(snapshot()).toEqual(before);
    expect((await flyteTask("check")).status).toBe(0);
  });

  it("adds a field with the command", async () => {
    const result = await flyteTask("field", "add", "timeout:float=none", "--description", "Seconds to wait; none waits forever.");
    expect(result.status, result.stderr).toBe(0);
    expect(read("flyte-task.config.ts")).toMatch(/timeout: \{\s+type: "float",\s+default: null,\s+description: "Seconds to wait; none waits forever.",\s+\}/);
    expect(read("flytekitplugins/acme/config.py")).toContain("timeout: float | None = None");
    expectUserCodeIntact("retries");
    await expectPluginHealthy();
  });

  it("renames a field, rewriting the user's references to it", async () => {
    const result = await flyteTask("field", "rename", "retries", "attempts");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`rewrote 1 reference(s) to "retries" in ${EXECUTOR}`);
    expect(result.stdout).toContain(`rewrote 1 reference(s) to "retries" in ${USER_TEST}`);
    expect(read(USER_TEST)).toContain('AcmeConfig(uri="db://warehouse", attempts=2)');
    expectUserCodeIntact("attempts");
    await expectPluginHealthy();
  });

  it("retypes a field", async () => {
    const result = await flyteTask("field", "retype", "retries", "float");
    expect(result.status, result.stderr).toBe(0);
    expect(read("flytekitplugins/acme/config.py")).toContain("retries: float = 3");
    write(USER_TEST, read(USER_TEST).replace('startswith("db://warehouse x2")', 'startswith("db://warehouse x2.0")'));
    expectUserCodeIntact("retries");
    await expectPluginHealthy();
  });

  it("adds secret, json and choice fields, and retypes dict[str,str] to json", async () => {
    for (const spec of ["headers:dict[str,str]={}", "password:secret=none", "mode:choice(read|write)=read"]) {
      const added = await flyteTask("field", "add", spec);
      expect(added.status, added.stderr).toBe(0);
    }
    const retyped = await flyteTask("field", "retype", "headers", "json");
    expect(retyped.status, retyped.stderr).toBe(0);
    expect(read("flyte-task.config.ts")).toContain('headers: { type: "json", default: {} }');
    expect(read("flyte-task.config.ts")).toContain('mode: { type: "choice", choices: ["read", "write"], default: "read" }');
    const config = read("flytekitplugins/acme/config.py");
    expect(config).toContain("headers: Json = field(default_factory=dict)");
    expect(config).toContain("password: Secret | None = None");
    expect(config).toContain('mode: Literal["read", "write"] = "read"');
    expect((await flyteTask("check")).status).toBe(0);
    expectUserCodeIntact("retries");
    await expectPluginHealthy();
  });

  it("follows a config edited by hand, and check fails until it does", async () => {
    write("flyte-task.config.ts", read("flyte-task.config.ts").replace("  fields: {\n", '  fields: {\n    region: { type: "str", default: "eu-west-1" },\n'));
    const drift = await flyteTask("check");
    expect(drift.status).toBe(1);
    expect(drift.stderr).toContain("flytekitplugins/acme/config.py");
    expect((await flyteTask("regenerate")).status).toBe(0);
    expect((await flyteTask("check")).status).toBe(0);
    expect(read("flytekitplugins/acme/config.py")).toContain('region: str = "eu-west-1"');
    expectUserCodeIntact("retries");
    await expectPluginHealthy();
  });

  it("removes a field, listing the references left behind", async () => {
    const result = await flyteTask("field", "remove", "retries");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/executor\.py:\d+: "retries" still referenced: budget = config\.retries/);
    expect(read("flytekitplugins/acme/config.py")).not.toContain("retries");
    expectUserCodeIntact("retries");
    // The user follows up on the listed references; then the plugin is healthy again.
    write(EXECUTOR, read(EXECUTOR).replace("budget = config.retries", "budget = 3"));
    write(USER_TEST, read(USER_TEST).replace(", retries=2)", ")").replace("x2", "x3"));
    await expectPluginHealthy();
  });

  it("refuses to overwrite a generated file edited by hand, unless forced", async () => {
    write("flytekitplugins/acme/config.py", `${read("flytekitplugins/acme/config.py")}\nHAND_EDIT = 1\n`);
    expect((await flyteTask("check")).status).toBe(1);
    const before = snapshot();
    const refused = await flyteTask("regenerate");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("-HAND_EDIT = 1");
    expect(snapshot()).toEqual(before);
    expect((await flyteTask("regenerate", "--force")).status).toBe(0);
    expect(read("flytekitplugins/acme/config.py")).not.toContain("HAND_EDIT");
    expect((await flyteTask("check")).status).toBe(0);
  });

  it("writes labelled conflict markers where the user and the schema changed the same lines", async () => {
    write("README.md", read("README.md").replace(/^- `uri` .*$/m, "- `uri` (`str`, required): Where the warehouse is (edited by the user)."));
    write("flyte-task.config.ts", read("flyte-task.config.ts").replace('uri: { type: "str" }', 'uri: { type: "str", description: "Service address." }'));
    const result = await flyteTask("regenerate");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Conflicts to resolve");
    expect(result.stderr).toContain("README.md");
    const readme = read("README.md");
    expect(readme).toContain("<<<<<<< README.md (yours)");
    expect(readme).toContain("(edited by the user)");
    expect(readme).toContain("Service address.");
    expect(readme).toContain(">>>>>>> README.md (regenerated by create-flyte-task");
    expect((await flyteTask("check")).status).toBe(1);
    // Resolved by keeping the user's line: then everything is in sync again.
    write("README.md", readme.replace(/<<<<<<< .*\n(.*\n)\|\|\|\|\|\|\| [\s\S]*?>>>>>>> .*\n/, "$1"));
    expect((await flyteTask("check")).status).toBe(0);
    await expectPluginHealthy();
  });

  it("leaves a deleted user file deleted", async () => {
    rmSync(join(plugin, "Dockerfile"));
    expect((await flyteTask("regenerate")).status).toBe(0);
    expect(existsSync(join(plugin, "Dockerfile"))).toBe(false);
    expect((await flyteTask("check")).status).toBe(0);
  });

  it("shows a dry run as a diff and writes nothing", async () => {
    write("flyte-task.config.ts", read("flyte-task.config.ts").replace("flytekitplugins-acme:0.1.0", "flytekitplugins-acme:0.2.0"));
    const before = snapshot();
    const result = await flyteTask("regenerate", "--dry-run");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('-DEFAULT_CONTAINER_IMAGE = "localhost:30000/flytekitplugins-acme:0.1.0"');
    expect(result.stdout).toContain('+DEFAULT_CONTAINER_IMAGE = "localhost:30000/flytekitplugins-acme:0.2.0"');
    expect(snapshot()).toEqual(before);
    expect((await flyteTask("regenerate")).status).toBe(0);
  });

  it.each([
    ["a syntax error", (text: string) => text.replace("fields: {", "fields: {{"), /^error: flyte-task\.config\.ts:\d+:\d+: syntax error/],
    ["an unknown type", (text: string) => text.replace(/uri: \{ type: "str"/, 'uri: { type: "string"'), /^error: flyte-task\.config\.ts:\d+:\d+: field "uri" has unknown type "string"/],
    ["a bad default", (text: string) => text.replace("default: 3", 'default: "three"'), /^error: flyte-task\.config\.ts:\d+:\d+: default of field "retries": "three" is not a valid int/],
    ["a spread", (text: string) => text.replace("fields: {", "fields: {\n    ...shared,"), /^error: flyte-task\.config\.ts:\d+:5: a spread \(\.\.\.\)/],
  ])("refuses a config with %s, giving line and column and touching nothing", async (_name, edit, message) => {
    const config = read("flyte-task.config.ts");
    write("flyte-task.config.ts", edit(config));
    expect(read("flyte-task.config.ts")).not.toBe(config);
    const before = snapshot();
    for (const command of [["regenerate"], ["check"], ["field", "add", "extra:int"]]) {
      const result = await flyteTask(...command);
      expect(result.status, `${command.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(snapshot()).toEqual(before);
    }
  });

  it("merges the new templates into a plugin made by an older version of the tool", async () => {
    // An older version wrote a README without the "Test" section, and an older manifest.
    const section = /\n## Test\n[\s\S]*?(?=\n## )/;
    write(".flyte-task/base/README.md", read(".flyte-task/base/README.md").replace(section, ""));
    write("README.md", `${read("README.md").replace(section, "")}\n## Notes from the team\n\nKeep this.\n`);
    write(".flyte-task/manifest.json", read(".flyte-task/manifest.json").replace(/"version": "[^"]+"/, '"version": "0.0.1"'));
    const result = await flyteTask("regenerate");
    expect(result.status, result.stderr).toBe(0);
    const readme = read("README.md");
    expect(readme).toMatch(section);
    expect(readme).toContain("## Notes from the team\n\nKeep this.");
    expect(read(".flyte-task/manifest.json")).not.toContain('"0.0.1"');
    const check = await flyteTask("check", "--diff");
    expect(check.status, check.stderr).toBe(0);
    await expectPluginHealthy();
  });
});
