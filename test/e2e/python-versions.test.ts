/**
 * The Pythons a plugin declares (requires-python, its CI matrix), not only the one the other
 * tests run on: the generated CI's test job runs here step by step as its workflow writes it,
 * on the lowest declared Python with the lowest declared flytekit and on the highest (the
 * image's) with the newest. Interpreters come from PATH or pyenv; nothing can download one
 * here, so on a machine without them the test says so and is skipped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import versions from "../../src/dependency-versions.js";
import { run } from "../support/cli.js";
import { generate, passedCount, workDir } from "../support/plugin.js";
import { interpreterFor } from "../support/python-env.js";

let cwd: string;
let plugin: string;

beforeAll(async () => {
  cwd = workDir("cft-pythons-");
  plugin = await generate(cwd, [
    "every-python",
    ...["uri:str", "retries:int=3", "ratio:float=none", "password:secret", "options:json={}", "mode:choice(read|write)=read", "tags:list[str]=[]"].flatMap((spec) => ["--field", spec]),
    ...["text:str", "numbers:list[int]", "report:file", "frame:dataframe", "summary:dataclass(label:str|weights:dict[str,float])"].flatMap((spec) => ["--output", spec]),
  ]);
});

/** The `run:` lines of the workflow's test job, in order. */
function testJobCommands(workflow: string): string[] {
  const job = /^ {2}test:\n([\s\S]*?)(?=^ {2}\S)/m.exec(workflow)?.[1] ?? "";
  return [...job.matchAll(/^\s+(?:- )?run: (.+)$/gm)].map((match) => match[1]!);
}

describe("the declared Pythons", () => {
  it("the workflow's matrix is what the plugin declares", () => {
    const workflow = readFileSync(join(plugin, ".github", "workflows", "ci.yml"), "utf8");
    const pyproject = readFileSync(join(plugin, "pyproject.toml"), "utf8");
    expect(workflow).toContain(`python-version: [${versions.pythonVersions.map((v) => JSON.stringify(v)).join(", ")}]`);
    expect(workflow).toContain(`flytekit: ["${versions.flytekitFloor}", "${versions.flytekit}"]`);
    expect(pyproject).toContain(`requires-python = ">=${versions.pythonVersions[0]},<3.${Number(versions.newestPython.split(".")[1]) + 1}"`);
    expect(testJobCommands(workflow)).toEqual([expect.stringContaining("pip install"), "ruff check .", "ruff format --check .", "pytest"]);
  });

  const corners: [string, string][] = [
    [versions.pythonVersions[0]!, versions.flytekitFloor],
    [versions.newestPython, versions.flytekit],
  ];
  for (const [python, flytekit] of corners) {
    const interpreter = interpreterFor(python);
    if (interpreter === null) console.warn(`python-versions: no Python ${python} on this machine (PATH, pyenv): its test is skipped`);
    it.skipIf(interpreter === null)(`runs the workflow's test steps on Python ${python} with flytekit ${flytekit}`, async () => {
      const venv = join(cwd, `venv-${python}`);
      const created = await run(interpreter!, ["-m", "venv", venv], { cwd });
      expect(created.status, created.stderr).toBe(0);
      // As setup-python leaves it: this Python first on PATH; the matrix's flytekit in the environment.
      const env = { PATH: `${join(venv, "bin")}:${process.env.PATH}`, FLYTEKIT_VERSION: flytekit, PIP_DISABLE_PIP_VERSION_CHECK: "1" };
      const workflow = readFileSync(join(plugin, ".github", "workflows", "ci.yml"), "utf8");
      let output = "";
      for (const command of testJobCommands(workflow)) {
        const step = await run("bash", ["-ec", command], { cwd: plugin, env });
        output = `${step.stdout}${step.stderr}`;
        expect(step.status, `${command}\n${output}`).toBe(0);
      }
      const version = await run(join(venv, "bin", "python"), ["-c", "import sys, flytekit; print(f'{sys.version_info[0]}.{sys.version_info[1]}', flytekit.__version__)"], { cwd });
      expect(version.stdout.trim()).toBe(`${python} ${flytekit}`);
      expect(passedCount({ status: 0, output })).toBeGreaterThanOrEqual(40);
    }, 600_000);
  }
});
