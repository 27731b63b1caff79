import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

let found: PackageInfo | undefined;

/**
 * The installed package: the nearest folder above this module whose package.json is ours.
 * Found by walking up (so it works from the compiled tree and from a bundle alike), once.
 */
function packageInfo(): PackageInfo {
  if (found !== undefined) return found;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const data = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (data.name === "create-flyte-task") {
        found = { root: dir, version: String(data.version) };
        return found;
      }
    }
    if (dirname(dir) === dir) throw new Error("create-flyte-task: cannot find the package root");
  }
}

export function packageRoot(): string {
  return packageInfo().root;
}

export function templatesDir(): string {
  return join(packageRoot(), "templates");
}

export function toolVersion(): string {
  return packageInfo().version;
}
