/**
 * Target: the folder a new plugin goes into. It must be new or empty (a non-empty one only
 * with --force), and never a file.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { InputError } from "./errors.js";

/** A plugin goes into a new or empty folder; a non-empty one needs `force`; a file never. */
export function checkTarget(root: string, force: boolean): void {
  if (existsSync(root)) {
    if (!statSync(root).isDirectory()) throw new InputError(`target "${root}" is a file: choose a new or empty folder`);
    if (readdirSync(root).length > 0 && !force) {
      throw new InputError(`target "${root}" is not empty: choose a new or empty folder, or pass --force to write into it`);
    }
  }
}
