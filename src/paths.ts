import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The installed package's root: the nearest folder above this module whose package.json is ours.
 * Found by walking up, so it works from the compiled tree and from a bundle alike.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "create-flyte-task") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("create-flyte-task: cannot find the package root");
    dir = parent;
  }
}

export function templatesDir(): string {
  return join(packageRoot(), "templates");
}

export function toolVersion(): string {
  return JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version as string;
}
