/**
 * Apply: makes a plan's changes all together or not at all.
 *
 * A new plugin folder is written beside its target and renamed into place in one step. Changes
 * inside an existing folder go through a journal in `.flyte-task/txn/`: new contents and backups
 * are staged first, then the journal is renamed into place. That rename is the commit point: a
 * run killed before it left every file as it was, and the next writing command discards the
 * staging; a run killed after it is finished by the next writing command (`recoverInterrupted`
 * rolls forward), so the change is never lost. Only a failure inside this process (a file that
 * cannot be written) undoes a committed change, through `rollback.json`, which a kill during the
 * undo also leaves finishable.
 *
 * Everything in `.flyte-task/` may come from a pull request: journal entries are checked like
 * manifest entries, and no write, rename or delete goes through a symlinked folder.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "./errors.js";
import { readPid, isAlive, stateDir } from "./lock.js";
import type { FileChange } from "./plan.js";
import { checkNoLinkedFolders, isWritablePath, STATE_DIR } from "./state.js";

export const TXN_DIR = `${STATE_DIR}/txn`;
const JOURNAL = "journal.json";
const ROLLBACK = "rollback.json";

interface JournalEntry {
  readonly path: string;
  /** The staged new content's name in txn/new, or null for a deletion. */
  readonly staged: string | null;
  /** The backup's name in txn/old, or null when the file did not exist. */
  readonly backup: string | null;
}

function lstatIfExists(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Creates `path` (never following a symlink at it) with `content`, flushed to disk. */
function writeDurably(path: string, content: string | Buffer): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the folders of `path` under `root`, refusing any that is a symlink. */
function makeParents(root: string, path: string, source: string): void {
  checkNoLinkedFolders(root, path, source);
  mkdirSync(dirname(join(root, path)), { recursive: true });
  checkNoLinkedFolders(root, path, source);
}

/** The transaction folder, refused when it or `.flyte-task` is a symlink. */
function txnDir(root: string): string {
  checkNoLinkedFolders(root, `${TXN_DIR}/${JOURNAL}`, TXN_DIR);
  return join(root, TXN_DIR);
}

/**
 * Whether an interrupted change waits in `.flyte-task/txn`. Only reads, for `check` and dry
 * runs; its journal is checked all the same, so a planted one is named as such (exit 2).
 */
export function hasPendingChange(root: string): boolean {
  if (lstatIfExists(join(root, TXN_DIR)) === null) return false;
  const txn = txnDir(root);
  for (const name of [ROLLBACK, JOURNAL]) {
    if (lstatIfExists(join(txn, name)) !== null) readJournal(txn, name);
  }
  return true;
}

/** Writes every change under `root`. Throws after restoring every file when anything fails. */
export function applyChanges(root: string, changes: readonly FileChange[]): void {
  const real = changes.filter((change) => change.before !== change.after);
  if (real.length === 0) return;
  if (lstatIfExists(root) === null) {
    createFolder(root, real);
    return;
  }
  for (const change of real) checkEntry(change.path, "the plan");
  recoverInterrupted(root);
  stateDir(root);
  const txn = txnDir(root);
  mkdirSync(txn);
  let committed = false;
  try {
    const entries = stage(root, txn, real);
    // Written whole, then renamed: a journal that exists is complete. This rename commits.
    writeDurably(join(txn, `${JOURNAL}.partial`), JSON.stringify(entries));
    renameSync(join(txn, `${JOURNAL}.partial`), join(txn, JOURNAL));
    committed = true;
    for (const entry of entries) place(root, txn, entry);
  } catch (error) {
    if (committed) rollBack(root, txn);
    removeTxn(txn);
    throw error;
  }
  removeTxn(txn);
}

/** Removes a transaction folder, its journal last: until then a kill leaves it finishable. */
function removeTxn(txn: string): void {
  for (const name of ["new", "old", `${JOURNAL}.partial`]) rmSync(join(txn, name), { recursive: true, force: true });
  rmSync(txn, { recursive: true, force: true });
}

/** Thrown by `check` and `--dry-run`, which only read: the tree is half-way through a change. */
export function pendingChangeError(): Error {
  return new Error(`an interrupted change is waiting in ${TXN_DIR}: run \`npx flyte-task regenerate\` to complete it`);
}

/** A new folder: written whole beside the target, then renamed into place. */
function createFolder(root: string, changes: readonly FileChange[]): void {
  const staging = join(dirname(root), `.${basename(root)}.flyte-task-${randomBytes(4).toString("hex")}`);
  // The staging holds our pid, so that a later create removes it only once we are gone.
  const lock = join(staging, STATE_DIR, "lock");
  try {
    mkdirSync(dirname(lock), { recursive: true });
    writeDurably(lock, `${process.pid}\n`);
    for (const change of changes) {
      if (change.after === null) continue;
      mkdirSync(dirname(join(staging, change.path)), { recursive: true });
      writeDurably(join(staging, change.path), change.after);
    }
    unlinkSync(lock);
    renameSync(staging, root);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

const STAGING = /^\..+\.flyte-task-[0-9a-f]{8}$/;

/**
 * Removes the staging folders killed creates left in `parent`: only real folders named like
 * ours whose lock (if any) names no live process.
 */
export function removeLeftStaging(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((entry) => STAGING.test(entry))) {
    const folder = join(parent, name);
    if (!lstatIfExists(folder)?.isDirectory()) continue;
    const holder = readPid(join(folder, STATE_DIR, "lock"));
    if (holder !== null && isAlive(holder)) continue;
    rmSync(folder, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function stage(root: string, txn: string, changes: readonly FileChange[]): JournalEntry[] {
  mkdirSync(join(txn, "new"));
  mkdirSync(join(txn, "old"));
  return changes.map((change, index) => {
    const staged = change.after === null ? null : `${index}`;
    if (staged !== null) writeDurably(join(txn, "new", staged), change.after!);
    checkNoLinkedFolders(root, change.path, "the plan");
    const current = lstatIfExists(join(root, change.path));
    const backup = current === null ? null : `${index}`;
    // A backup by rename of a hard link would be cheaper, but a copy keeps the file in place.
    if (backup !== null && current!.isFile()) writeDurably(join(txn, "old", backup), readFileSync(join(root, change.path)));
    return { path: change.path, staged, backup: current?.isFile() ? backup : null };
  });
}

/** Puts one entry's new content in place; a no-op when it already is (roll forward repeats it). */
function place(root: string, txn: string, entry: JournalEntry): void {
  const source = `${TXN_DIR}/${JOURNAL}`;
  if (entry.staged === null) {
    removeFile(root, entry.path, source);
    return;
  }
  const staged = join(txn, "new", entry.staged);
  if (lstatIfExists(staged) === null) return;
  makeParents(root, entry.path, source);
  renameSync(staged, join(root, entry.path));
}

/** Puts one entry's backup back; a no-op when it already is. */
function restore(root: string, txn: string, entry: JournalEntry): void {
  const source = `${TXN_DIR}/${ROLLBACK}`;
  if (entry.backup === null) {
    removeFile(root, entry.path, source);
    return;
  }
  const backup = join(txn, "old", entry.backup);
  if (lstatIfExists(backup) === null) return;
  makeParents(root, entry.path, source);
  renameSync(backup, join(root, entry.path));
}

/**
 * Finishes what an interrupted run left, under the writer's lock: past the commit point it
 * rolls forward (or finishes an undo that had started); before it, it drops the staging.
 */
export function recoverInterrupted(root: string): void {
  if (lstatIfExists(join(root, TXN_DIR)) === null) return;
  const txn = txnDir(root);
  if (!lstatIfExists(txn)?.isDirectory()) throw new InputError(`${TXN_DIR} is not a folder; remove it (it is no record of a change)`);
  if (lstatIfExists(join(txn, ROLLBACK)) !== null) {
    for (const entry of readJournal(txn, ROLLBACK)) restore(root, txn, entry);
  } else if (lstatIfExists(join(txn, JOURNAL)) !== null) {
    for (const entry of readJournal(txn, JOURNAL)) place(root, txn, entry);
  }
  removeTxn(txn);
}

/** Undoes a committed change: renames the journal first, so that a kill mid-undo finishes the undo. */
function rollBack(root: string, txn: string): void {
  const entries = readJournal(txn, JOURNAL);
  renameSync(join(txn, JOURNAL), join(txn, ROLLBACK));
  for (const entry of entries) restore(root, txn, entry);
}

const STAGED_NAME = /^[0-9]{1,7}$/;

function checkEntry(path: unknown, source: string): void {
  if (!isWritablePath(path)) throw new InputError(`${source}: entry ${JSON.stringify(path)} is not a relative path inside the plugin; remove ${TXN_DIR} if you did not make it`);
}

/** The journal, checked entry by entry: it may come from a pull request. */
function readJournal(txn: string, name: string): JournalEntry[] {
  const source = `${TXN_DIR}/${name}`;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(txn, name), "utf8"));
  } catch (error) {
    throw new InputError(`${source}: is not valid JSON (${(error as Error).message}); remove ${TXN_DIR} if you did not make it`);
  }
  if (!Array.isArray(data)) throw new InputError(`${source}: must be a list of entries; remove ${TXN_DIR} if you did not make it`);
  return data.map((entry: unknown) => {
    const { path, staged, backup } = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    checkEntry(path, source);
    for (const name of [staged, backup]) {
      if (name !== null && !(typeof name === "string" && STAGED_NAME.test(name))) {
        throw new InputError(`${source}: entry ${JSON.stringify(path)} names ${JSON.stringify(name)}, not a file of ${TXN_DIR}; remove ${TXN_DIR} if you did not make it`);
      }
    }
    return { path, staged, backup } as JournalEntry;
  });
}

/** Removes a file (or the symlink itself) if it is there, and the folders it leaves empty. */
function removeFile(root: string, path: string, source: string): void {
  checkNoLinkedFolders(root, path, source);
  const stats = lstatIfExists(join(root, path));
  if (stats === null) return;
  if (stats.isDirectory()) throw new InputError(`${source}: entry ${JSON.stringify(path)} is a folder; refusing to delete it`);
  unlinkSync(join(root, path));
  removeEmptyParents(root, path);
}

/** Removes the folders a deleted file leaves empty, up to (not including) the root. */
function removeEmptyParents(root: string, path: string): void {
  const segments = path.split("/").slice(0, -1);
  for (let depth = segments.length; depth > 0; depth--) {
    const dir = join(root, ...segments.slice(0, depth));
    if (!lstatIfExists(dir)?.isDirectory() || readdirSync(dir).length > 0) return;
    rmdirSync(dir);
  }
}
