/**
 * End to end: generate plugins with the real bin, then run each plugin's own test suite and
 * ruff against real flytekit in the test venv, and lint each Dockerfile.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate, lintDockerfile, passedCount, pytest, ruff, venvTool, workDir } from "../support/plugin.js";

let cwd: string;

beforeAll(() => {
  cwd = workDir();
});

async function expectHealthy(plugin: string, minimumTests: number): Promise<void> {
  const lint = await ruff(plugin);
  expect(lint.status, lint.output).toBe(0);
  const tests = await pytest(plugin);
  expect(tests.status, tests.output).toBe(0);
  expect(passedCount(tests)).toBeGreaterThanOrEqual(minimumTests);
  expect(lintDockerfile(plugin)).toEqual([]);
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

describe("generated plugins pass their own tests against real flytekit", () => {
  it("with no fields", async () => {
    await expectHealthy(await generate(cwd, ["no-fields"]), 10);
  });

  it("with every type, with and without defaults, and optional", async () => {
    const plugin = await generate(cwd, ["every-type", ...EVERY_TYPE.flatMap((spec) => ["--field", spec]), "--output", "total:float"]);
    await expectHealthy(plugin, 40);
  });

  it.each(["int", "float", "bool"])("with a %s output", async (type) => {
    const name = `out-${type}`;
    await expectHealthy(await generate(cwd, [name, "--field", "uri:str", "--output", `value:${type}`]), 15);
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
    await expectHealthy(plugin, 20);
    // The defaults as Python sees them, and the attribute docstrings as written in the source.
    writeFileSync(join(cwd, "expected.json"), JSON.stringify(hostile));
    const check = await venvTool("python", ["-c", HOSTILE_CHECK, join(cwd, "expected.json")], plugin);
    expect(check.status, check.output).toBe(0);
  });

  it("for the sql kind", async () => {
    await expectHealthy(await generate(cwd, ["warehouse-sql", "--kind", "sql", "--field", "dsn:str", "--field", "timeout:float=30"]), 20);
  });

  it("for the sqlite example, with parity against flytekit's SQLite3Task", async () => {
    const plugin = await generate(cwd, ["sqlite3", "--example", "sqlite"]);
    const tests = await pytest(plugin);
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).not.toMatch(/skipped/);
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
