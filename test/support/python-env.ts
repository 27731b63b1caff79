/**
 * The Python environments the end-to-end tests run generated plugins in, under .cache/:
 * - `venv`: exactly the pins of dependency-versions/requirements.txt (the newest flytekit, the
 *   one generated images install; pytest, ruff, pandas; SQLAlchemy and flytekitplugins-sqlalchemy
 *   for the sqlalchemy example's parity tests; mypy, pinned in mypy-requirements.txt);
 * - `venv-floor`: the same with the lowest flytekit plugins declare (flytekitFloor), to prove the
 *   declared range. pandas and pyarrow keep their pins: they work with that flytekit.
 * Made when missing (by the global setup), reused after.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import versions from "../../src/dependency-versions.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const VENV = join(REPO_ROOT, ".cache", "venv");
export const VENV_BIN = join(VENV, "bin");
export const PYTHON = join(VENV_BIN, "python");
export const FLOOR_VENV = join(REPO_ROOT, ".cache", "venv-floor");
export const FLOOR_VENV_BIN = join(FLOOR_VENV, "bin");

const pinned = (name: string) => `${name}==${versions.pins[name]}`;
/** Tools only the tests use, pinned beside them: `name==version` lines. */
const testPins = (file: string) =>
  readFileSync(join(import.meta.dirname, file), "utf8")
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "");
const COMMON = ["pytest", "ruff", "pandas", "pyarrow", "hatchling"].map(pinned);
const ENVIRONMENTS = [
  { venv: VENV, requirements: [pinned("flytekit"), ...COMMON, pinned("sqlalchemy"), pinned("flytekitplugins-sqlalchemy"), ...testPins("mypy-requirements.txt")] },
  { venv: FLOOR_VENV, requirements: [`flytekit==${versions.flytekitFloor}`, ...COMMON] },
];

export function ensurePythonEnv(log: (line: string) => void = () => {}): void {
  for (const { venv, requirements } of ENVIRONMENTS) {
    const stamp = join(venv, "create-flyte-task-requirements.txt");
    const python = join(venv, "bin", "python");
    const wanted = requirements.join("\n");
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) continue;
    log(`creating ${venv} with ${requirements.join(" ")} (first run only)`);
    if (!existsSync(python)) execFileSync(process.env.PYTHON ?? "python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...requirements], { stdio: "inherit" });
    writeFileSync(stamp, wanted);
  }
}
