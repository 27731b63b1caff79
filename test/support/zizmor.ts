/**
 * zizmor, the GitHub Actions security linter from PyPI, in its own venv under .cache/: made the
 * first time a test asks for it, reused after (a stamp records what was installed).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./python-env.js";

const VENV = join(REPO_ROOT, ".cache", "zizmor");
const REQUIREMENTS = join(import.meta.dirname, "zizmor-requirements.txt");
const STAMP = join(VENV, "create-flyte-task-requirements.txt");

/** The zizmor executable, installed first when missing or when its pin changed. */
export function ensureZizmor(log: (line: string) => void = () => {}): string {
  const zizmor = join(VENV, "bin", "zizmor");
  const wanted = readFileSync(REQUIREMENTS, "utf8");
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted && existsSync(zizmor)) return zizmor;
  log(`creating ${VENV} with zizmor (first run only)`);
  if (!existsSync(join(VENV, "bin", "python"))) execFileSync(process.env.PYTHON ?? "python3", ["-m", "venv", VENV], { stdio: "inherit" });
  execFileSync(join(VENV, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], { stdio: "inherit" });
  writeFileSync(STAMP, wanted);
  return zizmor;
}
