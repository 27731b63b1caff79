/**
 * What the image does, without Docker: a fresh venv gets exactly what the Dockerfile's RUN line
 * installs, then the container's command (the template's own args, `pyflyte-execute` found on
 * PATH) runs the serialized task from a folder outside the plugin. Also `--install`, which
 * makes the plugin's own .venv and runs its tests.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { run, runBin, type RunOptions } from "../support/cli.js";
import versions from "../../src/dependency-versions.js";
import { generate, workDir } from "../support/plugin.js";
import { interpreterFor } from "../support/python-env.js";

let cwd: string;

beforeAll(() => {
  cwd = workDir("cft-image-");
});

async function sh(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  const result = await run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The packages the Dockerfile's `pip install` line names, with the COPY destination mapped to the plugin folder. */
function dockerInstallArgs(plugin: string): string[] {
  const dockerfile = readFileSync(join(plugin, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const copy = /^COPY \. (\S+)$/m.exec(dockerfile)?.[1];
  const install = /pip install ([^&\n]+)/.exec(dockerfile)?.[1];
  if (copy === undefined || install === undefined) throw new Error("the Dockerfile has no COPY . <dir> or pip install line");
  // The pip cache is kept for speed; it does not change what gets installed.
  return install.trim().split(/\s+/).filter((arg) => arg !== "--no-cache-dir").map((arg) => (arg === copy ? plugin : arg));
}

const SERIALIZE = `
import contextlib, json, sqlite3, sys
from collections import OrderedDict
from pathlib import Path
from flytekit import kwtypes
from flytekit.configuration import ImageConfig, SerializationSettings
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import TypeEngine
from flytekit.core.utils import write_proto_to_file
from flytekit.tools.translator import get_serializable
from flytekitplugins.sqlite3 import Sqlite3Config, Sqlite3Task

work = Path(sys.argv[1])
with contextlib.closing(sqlite3.connect(work / "music.db")) as db:
    db.execute("CREATE TABLE tracks (id INTEGER, name TEXT)")
    db.executemany("INSERT INTO tracks VALUES (?, ?)", [(1, "Intro"), (2, "Overture"), (3, "Finale")])
    db.commit()
task = Sqlite3Task(
    name="tracks",
    query_template="SELECT * FROM tracks WHERE id <= {{ .inputs.limit }} ORDER BY id",
    inputs=kwtypes(limit=int),
    task_config=Sqlite3Config(uri=str(work / "music.db")),
)
settings = SerializationSettings(image_config=ImageConfig.auto_default_image(), project="p", domain="d", version="v1", env={})
template = get_serializable(OrderedDict(), settings, task).template
write_proto_to_file(template.to_flyte_idl(), str(work / "task.pb"))
inputs = TypeEngine.dict_to_literal_map(FlyteContextManager.current_context(), {"limit": 2}, type_hints={"limit": int})
write_proto_to_file(inputs.to_flyte_idl(), str(work / "inputs.pb"))
print(json.dumps(template.container.args))
`;

const READ_OUTPUTS = `
import json, sys
import pandas as pd
from flyteidl.core import literals_pb2
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import TypeEngine
from flytekit.core.utils import load_proto_from_file
from flytekit.models.literals import LiteralMap
from flytekit.types.schema import FlyteSchema

literals = LiteralMap.from_flyte_idl(load_proto_from_file(literals_pb2.LiteralMap, sys.argv[1])).literals
results = TypeEngine.to_python_value(FlyteContextManager.current_context(), literals["results"], FlyteSchema)
print(json.dumps(results.open().all().to_dict(orient="records")))
`;

describe("the image", () => {
  it("runs the container's exact command where only the Dockerfile's packages are installed", async () => {
    const plugin = await generate(cwd, ["sqlite3", "--example", "sqlite"]);
    const venv = join(cwd, "image-venv");
    // The Python of the Dockerfile's base image, when this machine has it (pyenv here does).
    const python3 = interpreterFor(versions.newestPython);
    if (python3 === null) console.warn(`image test: no Python ${versions.newestPython} here, the image's own; using python3`);
    await sh(python3 ?? "python3", ["-m", "venv", venv], { cwd });
    await sh(join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", ...dockerInstallArgs(plugin)], { cwd });
    const work = workDir("cft-container-");
    const python = join(venv, "bin", "python");
    if (python3 !== null) expect(await sh(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { cwd })).toBe(`${versions.newestPython}\n`);
    const args = JSON.parse(await sh(python, ["-c", SERIALIZE, work], { cwd: work })) as string[];
    expect(args.at(-1)).toBe("flytekitplugins.sqlite3.executor.Sqlite3Executor");
    const placeholders: Record<string, string> = {
      "{{.input}}": join(work, "inputs.pb"),
      "{{.outputPrefix}}": join(work, "outputs"),
      "{{.rawOutputDataPrefix}}": join(work, "raw"),
      "{{.taskTemplatePath}}": join(work, "task.pb"),
    };
    const [command, ...rest] = args.map((arg) => placeholders[arg] ?? arg);
    // As in the image: the command is found on PATH, and the plugin is imported from site-packages.
    await sh(command!, rest, { cwd: work, env: { PATH: `${join(venv, "bin")}:${process.env.PATH}`, FLYTE_FAIL_ON_ERROR: "true" } });
    expect(existsSync(join(work, "outputs", "error.pb"))).toBe(false);
    // flytekit logs to stdout too: the rows are the last line.
    const output = await sh(python, ["-c", READ_OUTPUTS, join(work, "outputs", "outputs.pb")], { cwd: work });
    const rows = JSON.parse(output.trim().split("\n").at(-1)!);
    expect(rows).toEqual([{ id: 1, name: "Intro" }, { id: 2, name: "Overture" }]);
  });
});

describe("--install", () => {
  it("creates .venv, installs the plugin with its test extras and runs its tests", async () => {
    const result = await runBin("create-flyte-task", ["installed", "--yes", "--no-git", "--install", "--field", "uri:str"], cwd);
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed/);
    expect(existsSync(join(cwd, "installed", ".venv", "bin", "pytest"))).toBe(true);
  });
});
