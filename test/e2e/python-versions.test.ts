/**
 * The Pythons a plugin declares (requires-python, its CI matrix), not only the one the other
 * tests run on: the generated CI's test job runs here step by step as its workflow writes it,
 * on the lowest declared Python with every dependency at its lowest declared version (uv's
 * lowest-direct resolution) and on the highest (the image's) with the newest. Interpreters come
 * from PATH or pyenv; nothing can download one here, so on a machine without them the test says
 * so and is skipped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import versions, { compareVersions, parseVersion } from "../../src/dependency-versions.js";
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

/** The `run:` commands of the workflow's test job, in order; a `run: |` block as one script. */
function testJobCommands(workflow: string): string[] {
  const job = /^ {2}test:\n([\s\S]*?)(?=^ {2}\S)/m.exec(workflow)?.[1] ?? "";
  return [...job.matchAll(/^( +)(?:- )?run: (?:\|\n((?:\1 {2}.*\n)+)|(.+)\n)/gm)].map(([, indent, block, line]) =>
    block === undefined ? line! : block.split("\n").map((text) => text.slice(indent!.length + 2)).join("\n"),
  );
}

/** Compares two dotted versions, as the tool compares its pins and floors. */
function compareVersionTexts(a: string, b: string): number {
  return compareVersions(parseVersion(a), parseVersion(b));
}

describe("the declared Pythons", () => {
  it("the workflow's matrix is what the plugin declares", () => {
    const workflow = readFileSync(join(plugin, ".github", "workflows", "ci.yml"), "utf8");
    const pyproject = readFileSync(join(plugin, "pyproject.toml"), "utf8");
    expect(workflow).toContain(`python-version: [${versions.pythonVersions.map((v) => JSON.stringify(v)).join(", ")}]`);
    expect(workflow).toContain(`resolution: ["lowest-direct", "highest"]`);
    expect(pyproject).toContain(`requires-python = ">=${versions.pythonVersions[0]},<3.${Number(versions.newestPython.split(".")[1]) + 1}"`);
    expect(testJobCommands(workflow)).toEqual([expect.stringContaining("uv pip install"), "ruff check .", "ruff format --check .", "pytest"]);
  });

  // The two corners of the matrix: the lowest Python with the lowest dependencies, the image's
  // Python with the newest.
  const corners: [string, "lowest-direct" | "highest"][] = [
    [versions.pythonVersions[0]!, "lowest-direct"],
    [versions.newestPython, "highest"],
  ];
  for (const [python, resolution] of corners) {
    const interpreter = interpreterFor(python);
    if (interpreter === null) console.warn(`python-versions: no Python ${python} on this machine (PATH, pyenv): its test is skipped`);
    it.skipIf(interpreter === null)(`runs the workflow's test steps on Python ${python} with the ${resolution} dependencies`, async () => {
      const venv = join(cwd, `venv-${python}`);
      const created = await run(interpreter!, ["-m", "venv", venv], { cwd });
      expect(created.status, created.stderr).toBe(0);
      // As setup-python leaves it: this Python first on PATH; the step's env from the matrix.
      const env = { PATH: `${join(venv, "bin")}:${process.env.PATH}`, RESOLUTION: resolution, PIP_DISABLE_PIP_VERSION_CHECK: "1" };
      const workflow = readFileSync(join(plugin, ".github", "workflows", "ci.yml"), "utf8");
      let output = "";
      for (const command of testJobCommands(workflow)) {
        const step = await run("bash", ["-ec", command], { cwd: plugin, env });
        output = `${step.stdout}${step.stderr}`;
        expect(step.status, `${command}\n${output}`).toBe(0);
      }
      expect(passedCount({ status: 0, output })).toBeGreaterThanOrEqual(40);
      const installed = await run(join(venv, "bin", "python"), ["-c", INSTALLED], { cwd });
      const [version, ...packages] = installed.stdout.trim().split(" ");
      expect(version).toBe(python);
      const found = Object.fromEntries(packages.map((item) => item.split("==") as [string, string]));
      if (resolution === "lowest-direct") {
        // Every direct dependency at exactly the bound pyproject.toml declares.
        for (const name of ["flytekit", "pandas", "pyarrow", "pytest", "ruff"] as const) expect(compareVersionTexts(found[name]!, versions.floors[name]), `${name} ${found[name]}`).toBe(0);
      } else {
        // PyPI may have a newer flytekit than the pin by now: at least the pin.
        expect(compareVersionTexts(found.flytekit!, versions.flytekit), `flytekit ${found.flytekit}`).toBeGreaterThanOrEqual(0);
      }
    }, 600_000);
  }
});

const INSTALLED = `
import sys
from importlib.metadata import version
names = ["flytekit", "pandas", "pyarrow", "pytest", "ruff"]
print("%d.%d" % sys.version_info[:2], *(f"{name}=={version(name)}" for name in names))
`;
