/**
 * Target: the folder a new plugin goes into. It must be new or empty (a non-empty one only
 * with --force), and never a file. Its nearest existing ancestor must be a real, writable
 * folder on an ordinary file system: the staging folder is made there and renamed into place.
 */
import { accessSync, constants, lstatSync, readdirSync, rmSync, statfsSync, statSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "./errors.js";

/**
 * Kernel pseudo file systems (proc, sysfs, devpts, cgroup, cgroup2, debugfs, securityfs,
 * tracefs, configfs, pstore, bpf). Node's recursive mkdir loops forever under /proc, where
 * mkdir fails with ENOENT even though the parent exists, so these are refused up front.
 */
const PSEUDO_FS_TYPES: ReadonlySet<number> = new Set([
  0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673, 0x74726163, 0x62656570, 0x6165676c, 0xcafe4a11,
]);

function lstatIfExists(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** A plugin goes into a new or empty folder; a non-empty one needs `force`; a file never. */
export function checkTarget(root: string, force: boolean): void {
  const stats = statOrNull(root);
  if (stats === null && lstatIfExists(root)?.isSymbolicLink()) {
    throw new InputError(`target "${root}" is a symlink to nothing: remove it or choose a new or empty folder`);
  }
  if (stats === null) return checkParent(root);
  if (!stats.isDirectory()) throw new InputError(`target "${root}" is a file: choose a new or empty folder`);
  if (readdirSync(root).length > 0 && !force) {
    throw new InputError(`target "${root}" is not empty: choose a new or empty folder, or pass --force to write into it`);
  }
  checkFileSystem(root, root);
}

/** `path`'s stats (following links), or null when nothing is there; errors name the target `root`. */
function statOrNull(path: string, root = path): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ENOTDIR") throw new InputError(`target "${root}" is under a file: its parent must be a folder`);
    throw new InputError(`target "${root}" cannot be used (${code ?? "error"}): choose another folder`);
  }
}

/** The nearest existing ancestor must be a writable folder on a real file system. */
function checkParent(root: string): void {
  let ancestor = dirname(root);
  while (statOrNull(ancestor, root) === null && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw new InputError(`target "${root}" is under a file ("${ancestor}"): its parent must be a folder`);
  checkFileSystem(root, ancestor);
  try {
    accessSync(ancestor, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`target "${root}" cannot be created: "${ancestor}" is not writable`);
  }
}

function checkFileSystem(root: string, folder: string): void {
  if (PSEUDO_FS_TYPES.has(Number(statfsSync(folder).type))) {
    throw new InputError(`target "${root}" is on a kernel pseudo file system ("${folder}"): choose a folder on a real disk`);
  }
}

/**
 * Empties a target the user chose to clear, keeping `.git` (their history), as create-vite
 * does. Only what is directly in `root` is removed; a symlink is removed, not followed.
 */
export function emptyFolder(root: string): void {
  for (const name of readdirSync(root)) {
    if (name !== ".git") rmSync(join(root, name), { recursive: true, force: true });
  }
}
