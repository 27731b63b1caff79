/**
 * Lock: one writer at a time in a plugin. A writing command holds `.flyte-task/lock`, a file
 * holding its pid; a second one stops at once. A lock whose process is gone (a kill) is taken
 * over.
 */
import { closeSync, linkSync, readdirSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, constants } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "./errors.js";
import { STATE_DIR } from "./state.js";

const LOCK = "lock";

/** Exit 1: not bad input, just bad timing. */
export class LockedError extends Error {
  constructor(pid: number) {
    // A pid can be reused by an unrelated process after a reboot: say how to clear it by hand.
    super(`another flyte-task (pid ${pid}) is changing this plugin; run this again when it has finished (if pid ${pid} is not flyte-task, remove ${STATE_DIR}/${LOCK})`);
    this.name = "LockedError";
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

export function readPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Makes `<root>/.flyte-task`, refusing one that is a symlink (it would lead writes elsewhere). */
export function stateDir(root: string): string {
  const dir = join(root, STATE_DIR);
  mkdirSync(dir, { recursive: true });
  if (!lstatSync(dir).isDirectory()) throw new InputError(`${STATE_DIR} is a symlink or not a folder; refusing to write through it`);
  return dir;
}

/**
 * Writes a file holding our pid and links it to `lock`: the lock appears whole, with its pid,
 * or not at all (an empty lock file would look like a dead holder's).
 */
function tryCreate(lock: string): boolean {
  const temporary = `${lock}.${process.pid}`;
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, lock);
    return true;
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * Moves a dead holder's lock aside. Two runs may both find it dead: the move is atomic, so only
 * one gets it; if what was moved is a live holder's (taken over between our read and the move),
 * it is put back.
 */
function takeOver(lock: string): void {
  const aside = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return;
    throw error;
  }
  const holder = readPid(aside);
  if (holder !== null && holder !== process.pid && isAlive(holder)) {
    try {
      linkSync(aside, lock);
    } catch {
      // Someone else holds it now; either way the lock is held.
    }
    unlinkSync(aside);
    throw new LockedError(holder);
  }
  unlinkSync(aside);
}

/** Takes the plugin's lock; returns the function that releases it. */
export function acquireLock(root: string): () => void {
  const lock = join(stateDir(root), LOCK);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lock)) {
      removeLeftovers(dirname(lock));
      return () => release(lock);
    }
    const holder = readPid(lock);
    if (holder !== null && isAlive(holder)) throw new LockedError(holder);
    takeOver(lock);
  }
  throw new Error(`could not take ${STATE_DIR}/${LOCK}: it keeps changing`);
}

const LEFTOVER = /^lock\.(?:stale\.)?([0-9]+)$/;

/** Removes the temporary lock files of killed runs (ours are named by pid). */
function removeLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = LEFTOVER.exec(name)?.[1];
    if (pid !== undefined && !isAlive(Number(pid))) unlinkSync(join(dir, name));
  }
}

function release(lock: string): void {
  if (readPid(lock) === process.pid) unlinkSync(lock);
}

/** Runs `work` holding the lock. */
export async function withLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const release = acquireLock(root);
  try {
    return await work();
  } finally {
    release();
  }
}
