/**
 * End to end: generate plugins with the real bin, then run each plugin's own test suite, ruff
 * and mypy against real flytekit in the test venv, and lint each Dockerfile.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fuzzFromCustom, generate, lintDockerfile, mypy, passedCount, pytest, ruff, venvTool, workDir } from "../support/plugin.js";

let cwd: string;

beforeAll(() => {
  cwd = workDir();
});

async function expectHealthy(plugin: string, minimumTests: number): Promise<void> {
  const lint = await ruff(plugin);
  expect(lint.status, lint.output).toBe(0);
  const types = await mypy(plugin);
  expect(types.status, types.output).toBe(0);
  expect(types.output).toMatch(/^Success: no issues found in \d+ source files/m);
  const tests = await pytest(plugin);
  expect(tests.status, tests.output).toBe(0);
  expect(passedCount(tests)).toBeGreaterThanOrEqual(minimumTests);
  expect(lintDockerfile(plugin)).toEqual([]);
}

/** from_custom reads, or refuses by field name, thousands of hostile customs (fixed seed). */
async function expectFuzzProof(plugin: string, module: string, configClass: string, options: { floor?: boolean } = {}): Promise<void> {
  const fuzz = await fuzzFromCustom(plugin, module, configClass, options);
  expect(fuzz.status, fuzz.output).toBe(0);
  const [, read, refused] = /(\d+) read and round-tripped, (\d+) refused by field name/.exec(fuzz.output) ?? [];
  // Both outcomes are common, so neither side of the property goes untested.
  expect(Number(read), fuzz.output).toBeGreaterThan(300);
  expect(Number(refused), fuzz.output).toBeGreaterThan(300);
}

const EVERY_TYPE = [
  "name_text:str",
  "count:int",
  "ratio:float",
  "enabled:bool",
  "labels:list[str]",
  "sizes:list[int]",
  "weights:list[float]",
  "headers:dict[str,str]",
  "quotas:dict[str,int]",
  "scales:dict[str,float]",
  "greeting:str=hello",
  "retries:int=3",
  "threshold:float=1",
  "dry_run:bool=false",
  'tags:list[str]=["a","b"]',
  "ids:list[int]=[]",
  "factors:list[float]=[1, 2.5]",
  'env_vars:dict[str,str]={"A": "1"}',
  "limits:dict[str,int]={}",
  'rates:dict[str,float]={"x": 2}',
  "timeout:float=none",
  "note:str=none",
  "extra_tags:list[str]=none",
];

const NEW_FIELD_TYPES = [
  "uri:str",
  "password:secret",
  'token:secret={"group": "db", "key": "token", "group_version": "v2", "mount_requirement": "FILE"}',
  "backup_password:secret=none",
  "secret_connect_args:dict[str,secret]={}",
  "connect_args:json={}",
  "options:json=none",
  "mode:choice(read|write)=read",
  "level:choice(low|high)",
];

const EVERY_OUTPUT = [
  "text:str",
  "rows:int",
  "ratio:float",
  "flag:bool",
  "started:datetime",
  "took:timedelta",
  "numbers:list[int]",
  "scores:dict[str,float]",
  "stamps:list[datetime]",
  "report:file",
  "folder:directory",
  "frame:dataframe",
  "dataset:structured-dataset",
  "summary:dataclass(label:str|counts:list[int]|weights:dict[str,float]|report:file)",
];

describe("generated plugins pass their own tests against real flytekit", () => {
  it("with no fields", async () => {
    await expectHealthy(await generate(cwd, ["no-fields"]), 10);
  });

  it("with every type, with and without defaults, and optional", async () => {
    const plugin = await generate(cwd, ["every-type", ...EVERY_TYPE.flatMap((spec) => ["--field", spec]), "--output", "total:float"]);
    await expectHealthy(plugin, 40);
    await expectFuzzProof(plugin, "every_type", "EveryTypeConfig");
  });

  // One plugin for every field type of issue 9 and every output type, run on the newest and on
  // the lowest flytekit plugins declare. Its own test_task.py runs it on the platform path
  // (pyflyte-execute, outputs.pb) and compares each output with a local run and a workflow.
  it("with secret, json and choice fields and an output of every type, on the newest and the floor flytekit", async () => {
    const plugin = await generate(cwd, ["all-outputs", ...NEW_FIELD_TYPES.flatMap((spec) => ["--field", spec]), ...EVERY_OUTPUT.flatMap((spec) => ["--output", spec])]);
    await expectHealthy(plugin, 60);
    const floor = await pytest(plugin, { floor: true });
    expect(floor.status, floor.output).toBe(0);
    // Only the Secret(env_var=...) tests skip there: flytekit 1.13 has no env_var.
    expect(passedCount(floor)).toBeGreaterThanOrEqual(55);
    await expectFuzzProof(plugin, "all_outputs", "AllOutputsConfig");
    await expectFuzzProof(plugin, "all_outputs", "AllOutputsConfig", { floor: true });
    const floorLint = await ruff(plugin, { floor: true });
    expect(floorLint.status, floorLint.output).toBe(0);
    const platform = await venvTool("pytest", ["-q", "-p", "no:cacheprovider", "-k", "test_platform_run_gives_the_local_outputs"], plugin);
    expect(platform.status, platform.output).toBe(0);
    expect(passedCount(platform)).toBe(1);
    // A secret read through secret_value() by a probe executor, locally and under pyflyte-execute.
    const secret = await venvTool("pytest", ["-q", "-p", "no:cacheprovider", "-k", "test_local_and_platform_runs_read_a_secret_from_the_environment"], plugin);
    expect(secret.status, secret.output).toBe(0);
    expect(passedCount(secret)).toBe(1);
  });

  it("holds hostile descriptions and defaults exactly, as valid Python", async () => {
    const hostile = [
      'He said "hi" and \'bye\'',
      'Triple """quotes""" and \'\'\'more\'\'\'',
      "back\\slash \\n not a newline",
      "two\nlines",
      "{{ handlebars }} and {{{ triple }}} and ${template}",
      "non-ASCII: é ü 漢字 🚀",
      'ends with a quote"',
    ];
    const args = ["hostile"];
    hostile.forEach((text, index) => {
      args.push("--field", `text_${index}:str=${JSON.stringify(text)}`, "--description", `text_${index}=${text}`);
    });
    const plugin = await generate(cwd, args);
    await expectHealthy(plugin, 19);
    // The defaults as Python sees them, and the attribute docstrings as written in the source.
    writeFileSync(join(cwd, "expected.json"), JSON.stringify(hostile));
    const check = await venvTool("python", ["-c", HOSTILE_CHECK, join(cwd, "expected.json")], plugin);
    expect(check.status, check.output).toBe(0);
  });

  it("for the sql kind, with a secret, on the newest and the floor flytekit", async () => {
    const plugin = await generate(cwd, ["warehouse-sql", "--kind", "sql", "--field", "dsn:str", "--field", "timeout:float=30", "--field", "password:secret"]);
    await expectHealthy(plugin, 20);
    const floor = await pytest(plugin, { floor: true });
    expect(floor.status, floor.output).toBe(0);
  });

  it("for the sqlalchemy example, with parity against flytekitplugins-sqlalchemy from PyPI", async () => {
    const plugin = await generate(cwd, ["sqlalchemy-query", "--example", "sqlalchemy"]);
    await expectHealthy(plugin, 70);
    const parity = await venvTool("pytest", ["-q", "-p", "no:cacheprovider", "tests/test_parity.py"], plugin);
    expect(parity.status, parity.output).toBe(0);
    expect(parity.output).not.toMatch(/skipped/);
    expect(passedCount(parity)).toBe(24);
    // And with every dependency at its declared floor, SQLAlchemy 2.0.0 and the upstream plugin
    // of the lowest flytekit among them.
    const floor = await pytest(plugin, { floor: true });
    expect(floor.status, floor.output).toBe(0);
    expect(passedCount(floor)).toBeGreaterThanOrEqual(70);
  });

  it("for the sqlite example, with parity against flytekit's SQLite3Task", async () => {
    const plugin = await generate(cwd, ["sqlite3", "--example", "sqlite"]);
    const tests = await pytest(plugin);
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).not.toMatch(/skipped/);
    const floor = await pytest(plugin, { floor: true });
    expect(floor.status, floor.output).toBe(0);
    const parity = await venvTool("pytest", ["-q", "-p", "no:cacheprovider", "-k", "same_results_as_flytekit"], plugin);
    expect(parity.status, parity.output).toBe(0);
    expect(passedCount(parity)).toBe(8);
    await expectHealthy(plugin, 30);
  });
});

const HOSTILE_CHECK = `
import ast, json, sys
from dataclasses import fields
from flytekitplugins.hostile import HostileConfig

expected = json.load(open(sys.argv[1], encoding="utf-8"))
defaults = {f.name: f.default for f in fields(HostileConfig)}
source = open("flytekitplugins/hostile/config.py", encoding="utf-8").read()
body = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)).body
docstrings = {}
for node, after in zip(body, body[1:]):
    if isinstance(node, ast.AnnAssign) and isinstance(after, ast.Expr):
        docstrings[node.target.id] = after.value.value
for index, text in enumerate(expected):
    name = f"text_{index}"
    assert defaults[name] == text, (name, defaults[name], text)
    assert docstrings[name] == text.strip(), (name, docstrings[name], text)
`;
