/**
 * The text of the files in dependency-versions/, the pins that Renovate and Dependabot bump.
 * Read from the package root here; scripts/bundle.mjs replaces this module with the same texts
 * inlined, so the published bundle reads no file for them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./paths.js";

const dir = join(packageRoot(), "dependency-versions");
const read = (name: string): string => readFileSync(join(dir, name), "utf8");

export const DEPENDENCY_FILES = {
  requirements: read("requirements.txt"),
  dockerfile: read("Dockerfile"),
  actions: read("action.yml"),
};
