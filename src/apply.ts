/**
 * Apply: makes a plan's changes all together or not at all.
 *
 * A new plugin folder is written beside its target and renamed into place in one step. Changes
 * inside an existing folder go through a journal in `.flyte-task/txn/`: new contents and backups
 * are staged first, the journal is written (the point of no return is the `applied` marker),
 * then files are renamed into place. A run that dies half-way is rolled back by the next
 * command (`recoverInterrupted`), so every file is again as it was.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { FileChange } from "./plan.js";
import { STATE_DIR } from "./state.js";

const TXN_DIR = join(STATE_DIR, "txn");
const JOURNAL = "journal.json";
const APPLIED = "applied";

interface JournalEntry {
  readonly path: string;
  /** The staged new content's name in txn/new, or null for a deletion. */
  readonly staged: string | null;
  /** The backup's name in txn/old, or null when the file did not exist. */
  readonly backup: string | null;
}

function writeDurably(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes every change under `root`. Throws after restoring every file when anything fails. */
export function applyChanges(root: string, changes: readonly FileChange[]): void {
  const real = changes.filter((change) => change.before !== change.after);
  if (real.length === 0) return;
  if (!existsSync(root)) {
    createFolder(root, real);
    return;
  }
  recoverInterrupted(root);
  const txn = join(root, TXN_DIR);
  try {
    const entries = stage(root, txn, real);
    // Written whole, then renamed: a journal that exists is complete.
    writeDurably(join(txn, `${JOURNAL}.partial`), JSON.stringify(entries));
    renameSync(join(txn, `${JOURNAL}.partial`), join(txn, JOURNAL));
    for (const entry of entries) place(root, txn, entry);
    writeDurably(join(txn, APPLIED), "");
  } catch (error) {
    rollBack(root);
    throw error;
  }
  rmSync(txn, { recursive: true, force: true });
  removeIfEmpty(join(root, STATE_DIR));
}

/** A new folder: written whole beside the target, then renamed into place. */
function createFolder(root: string, changes: readonly FileChange[]): void {
  const staging = join(dirname(root), `.${basename(root)}.flyte-task-${randomBytes(4).toString("hex")}`);
  try {
    for (const change of changes) {
      if (change.after !== null) writeDurably(join(staging, change.path), change.after);
    }
    renameSync(staging, root);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function stage(root: string, txn: string, changes: readonly FileChange[]): JournalEntry[] {
  return changes.map((change, index) => {
    const staged = change.after === null ? null : `${index}`;
    if (staged !== null) writeDurably(join(txn, "new", staged), change.after!);
    const target = join(root, change.path);
    const backup = existsSync(target) ? `${index}` : null;
    if (backup !== null) {
      mkdirSync(join(txn, "old"), { recursive: true });
      copyFileSync(target, join(txn, "old", backup));
    }
    return { path: change.path, staged, backup };
  });
}

function place(root: string, txn: string, entry: JournalEntry): void {
  const target = join(root, entry.path);
  if (entry.staged === null) {
    removeFile(root, target);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(join(txn, "new", entry.staged), target);
}

/** Finishes what an interrupted run left: rolls back unless it had reached its `applied` marker. */
export function recoverInterrupted(root: string): void {
  const txn = join(root, TXN_DIR);
  if (!existsSync(txn)) return;
  if (!existsSync(join(txn, APPLIED))) rollBack(root);
  rmSync(txn, { recursive: true, force: true });
}

function rollBack(root: string): void {
  const txn = join(root, TXN_DIR);
  const journal = join(txn, JOURNAL);
  if (existsSync(journal)) {
    const entries = JSON.parse(readFileSync(journal, "utf8")) as JournalEntry[];
    for (const entry of entries) restore(root, txn, entry);
  }
  rmSync(txn, { recursive: true, force: true });
}

function restore(root: string, txn: string, entry: JournalEntry): void {
  const target = join(root, entry.path);
  if (entry.backup === null) {
    removeFile(root, target);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(txn, "old", entry.backup), target);
}

/** Removes a file if it is there (existsSync, unlike rmSync's force, also tolerates a parent that is a file). */
function removeFile(root: string, file: string): void {
  if (existsSync(file)) rmSync(file);
  removeEmptyParents(root, file);
}

function removeIfEmpty(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Removes the folders a deleted file leaves empty, up to (not including) the root. */
function removeEmptyParents(root: string, file: string): void {
  for (let dir = dirname(file); dir.startsWith(root) && dir !== root; dir = dirname(dir)) {
    if (!existsSync(dir) || !statSync(dir).isDirectory() || readdirSync(dir).length > 0) return;
    rmdirSync(dir);
  }
}
