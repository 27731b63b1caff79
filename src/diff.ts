/** Unified diffs for humans (`--dry-run`, `check --diff`), in git's format, by jsdiff. */
import { formatPatch, structuredPatch } from "diff";

/** A unified diff of one file; `null` stands for a file that does not exist. Empty when equal. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return "";
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? "", after ?? "", undefined, undefined, { context: 3 });
  const text = formatPatch({
    ...patch,
    oldFileName: before === null ? "/dev/null" : `a/${path}`,
    newFileName: after === null ? "/dev/null" : `b/${path}`,
  });
  // jsdiff opens with a line of "=" that git does not write.
  return text.slice(text.indexOf("--- "));
}
