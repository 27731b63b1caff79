/** Small file-system helpers shared by the stages that read a plugin's files. */
import { existsSync, readFileSync } from "node:fs";

/** The file's text, or null when there is no file at `path`. */
export function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}
