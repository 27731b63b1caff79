/** Small file-system helpers shared by the stages that read a plugin's files. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { InputError } from "./errors.js";

/** The file's text, or null when there is no file at `path`. */
export function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}

/** Limits and labels for `readTextFile`; `shown` names the file in errors. */
export interface TextFileRule {
  readonly shown: string;
  readonly maxBytes?: number;
  /** What to tell the user to do about a broken file (appended to the message). */
  readonly advice?: string;
}

/**
 * A file the user (or a pull request) controls, read as UTF-8 text or refused with one line
 * naming it: a folder, an unreadable file, binary content, or one over the size limit. The size
 * is checked from `stat` before reading, so a huge file is refused without loading it.
 */
export function readTextFile(path: string, rule: TextFileRule): string | null {
  const refuse = (what: string) => new InputError(`${rule.shown} ${what}${rule.advice ? `; ${rule.advice}` : ""}`);
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw refuse("is a folder, not a file");
    if (!stats.isFile()) throw refuse("is not a regular file");
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (rule.maxBytes !== undefined && size > rule.maxBytes) throw refuse(`is ${size} bytes: at most ${rule.maxBytes} bytes are allowed`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  // A NUL byte or invalid UTF-8 means binary: decoding would silently replace bytes.
  if (bytes.includes(0) || !isUtf8(bytes)) throw refuse("is not UTF-8 text (binary content)");
  return bytes.toString("utf8");
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
