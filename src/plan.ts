/**
 * Plan: the file changes a command will make, computed before anything is written, so that
 * `--dry-run` can show them and `apply` can make them all at once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { unifiedDiff } from "./diff.js";
import { InputError } from "./errors.js";

/** One file's change; `null` stands for "absent" (before: a new file; after: a deletion). */
export interface FileChange {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
}

export type ChangeKind = "create" | "update" | "delete";

export function kindOf(change: FileChange): ChangeKind {
  if (change.before === null) return "create";
  return change.after === null ? "delete" : "update";
}

export function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}

/** Drops changes that change nothing. */
export function effective(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => change.before !== change.after);
}

/** `create  path` lines, one per change, in path order. */
export function describe(changes: readonly FileChange[]): string[] {
  return [...changes]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((change) => `${kindOf(change).padEnd(7)} ${change.path}`);
}

export function diffOf(changes: readonly FileChange[]): string {
  return [...changes]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((change) => unifiedDiff(change.path, change.before, change.after))
    .join("");
}

/**
 * The changes that create a plugin in `root`. Refuses a target that is a file, a non-empty
 * folder without `force`, and (even with force) never plans over a file silently: with `force`
 * an existing file shows as an update.
 */
export function planScaffold(root: string, files: ReadonlyMap<string, string>, force: boolean): FileChange[] {
  checkTarget(root, force);
  return [...files].map(([path, after]) => ({ path, before: readIfExists(join(root, path)), after }));
}

/** A plugin goes into a new or empty folder; a non-empty one needs `force`; a file never. */
export function checkTarget(root: string, force: boolean): void {
  if (existsSync(root)) {
    if (!statSync(root).isDirectory()) throw new InputError(`target "${root}" is a file: choose a new or empty folder`);
    if (readdirSync(root).length > 0 && !force) {
      throw new InputError(`target "${root}" is not empty: choose a new or empty folder, or pass --force to write into it`);
    }
  }
}
