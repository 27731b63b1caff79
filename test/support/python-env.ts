/**
 * The Python environments the end-to-end tests run generated plugins in, under .cache/:
 * - `venv`: exactly the pins of dependency-versions/requirements.txt (the newest flytekit, the
 *   one generated images install; pytest, ruff, pandas; SQLAlchemy and flytekitplugins-sqlalchemy
 *   for the sqlalchemy example's parity tests; mypy, pinned in mypy-requirements.txt);
 * - `venv-floor`: every dependency a plugin declares at the lowest version it declares
 *   (flytekit, pandas, pyarrow, SQLAlchemy, pytest, ruff, hatchling), to prove the declared
 *   ranges from below, as a lowest-direct resolution would.
 * Made when missing (by the global setup), reused after.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import versions, { parsePins } from "../../src/dependency-versions.js";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const VENV = join(REPO_ROOT, ".cache", "venv");
export const VENV_BIN = join(VENV, "bin");
export const PYTHON = join(VENV_BIN, "python");
export const FLOOR_VENV = join(REPO_ROOT, ".cache", "venv-floor");
export const FLOOR_VENV_BIN = join(FLOOR_VENV, "bin");

const pinned = (name: string) => `${name}==${versions.pins[name]}`;
/** Tools only the tests use, pinned beside them in a requirements file. */
const testPins = (file: string) => Object.entries(parsePins(readFileSync(join(import.meta.dirname, file), "utf8"))).map(([name, version]) => `${name}==${version}`);
const COMMON = ["pytest", "ruff", "pandas", "pyarrow", "hatchling"].map(pinned);
const floor = (name: keyof typeof versions.floors) => `${name}==${versions.floors[name]}`;
/** The floor of every dependency generated plugins declare; the parity tests' upstream plugin at flytekit's. */
export const FLOOR_REQUIREMENTS: readonly string[] = [
  ...(["flytekit", "pandas", "pyarrow", "sqlalchemy", "pytest", "ruff", "hatchling"] as const).map(floor),
  `flytekitplugins-sqlalchemy==${versions.flytekitFloor}`,
];
const ENVIRONMENTS = [
  { venv: VENV, requirements: [pinned("flytekit"), ...COMMON, pinned("sqlalchemy"), pinned("flytekitplugins-sqlalchemy"), ...testPins("mypy-requirements.txt")] },
  { venv: FLOOR_VENV, requirements: FLOOR_REQUIREMENTS },
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

/**
 * An interpreter of Python `minor` ("3.12"), for the Pythons a plugin declares besides the
 * one that runs everything else: `python3.12` on PATH, else the newest such version pyenv has
 * installed. Null when this machine has none (nothing can download one here).
 */
export function interpreterFor(minor: string): string | null {
  const name = `python${minor}`;
  const onPath = (process.env.PATH ?? "").split(":").filter((dir) => dir !== "").map((dir) => join(dir, name));
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  const patch = (version: string) => Number(version.slice(minor.length + 1));
  const fromPyenv = existsSync(versions)
    ? readdirSync(versions)
        .filter((version) => version.startsWith(`${minor}.`) && /^\d+$/.test(version.slice(minor.length + 1)))
        .sort((a, b) => patch(b) - patch(a))
        .map((version) => join(versions, version, "bin", name))
    : [];
  // A pyenv shim on PATH exists for every version pyenv knows, but runs only the selected one.
  return [...onPath, ...fromPyenv].find((path) => existsSync(path) && runsAs(path, minor)) ?? null;
}

function runsAs(interpreter: string, minor: string): boolean {
  try {
    const version = execFileSync(interpreter, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return version.trim() === minor;
  } catch {
    return false;
  }
}
