/**
 * The Python environment the end-to-end tests run generated plugins in: a venv under
 * .cache/ with exactly the pins of dependency-versions/requirements.txt (the flytekit that
 * generated images install, pytest, ruff, pandas...).
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

const REQUIREMENTS = ["flytekit", "pytest", "ruff", "pandas", "pyarrow", "hatchling"].map((name) => `${name}==${versions.pins[name]}`);
const STAMP = join(VENV, "create-flyte-task-requirements.txt");

export function ensurePythonEnv(log: (line: string) => void = () => {}): void {
  const wanted = REQUIREMENTS.join("\n");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted) return;
  const python = process.env.PYTHON ?? "python3";
  log(`creating ${VENV} with ${REQUIREMENTS.join(" ")} (first run only)`);
  if (!existsSync(PYTHON)) execFileSync(python, ["-m", "venv", VENV], { stdio: "inherit" });
  execFileSync(PYTHON, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...REQUIREMENTS], { stdio: "inherit" });
  writeFileSync(STAMP, wanted);
}
