/** Line diffs: a unified diff for humans (`--dry-run`, `check --diff`). */
import { diffIndices } from "node-diff3";

const CONTEXT = 3;

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

interface Hunk {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Groups the changed regions of two line lists into hunks with CONTEXT lines around each. */
function hunksOf(oldLines: string[], newLines: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  for (const change of diffIndices(oldLines, newLines)) {
    const [oldAt, oldLength] = change.buffer1;
    const [newAt, newLength] = change.buffer2;
    const hunk = {
      oldStart: Math.max(0, oldAt - CONTEXT),
      oldEnd: Math.min(oldLines.length, oldAt + oldLength + CONTEXT),
      newStart: Math.max(0, newAt - CONTEXT),
      newEnd: Math.min(newLines.length, newAt + newLength + CONTEXT),
    };
    const last = hunks[hunks.length - 1];
    if (last && hunk.oldStart <= last.oldEnd) {
      last.oldEnd = hunk.oldEnd;
      last.newEnd = hunk.newEnd;
    } else {
      hunks.push(hunk);
    }
  }
  return hunks;
}

/** A unified diff of one file; `null` stands for a file that does not exist. Empty when equal. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  if (before === after) return "";
  const oldLines = splitLines(before ?? "");
  const newLines = splitLines(after ?? "");
  const out = [`--- ${before === null ? "/dev/null" : `a/${path}`}`, `+++ ${after === null ? "/dev/null" : `b/${path}`}`];
  for (const hunk of hunksOf(oldLines, newLines)) {
    out.push(`@@ -${hunk.oldStart + 1},${hunk.oldEnd - hunk.oldStart} +${hunk.newStart + 1},${hunk.newEnd - hunk.newStart} @@`);
    out.push(...hunkBody(oldLines, newLines, hunk));
  }
  return `${out.join("\n")}\n`;
}

/** Walks a hunk with the diff of its slices, marking removed, added and common lines. */
function hunkBody(oldLines: string[], newLines: string[], hunk: Hunk): string[] {
  const oldSlice = oldLines.slice(hunk.oldStart, hunk.oldEnd);
  const newSlice = newLines.slice(hunk.newStart, hunk.newEnd);
  const body: string[] = [];
  let oldAt = 0;
  for (const change of diffIndices(oldSlice, newSlice)) {
    const [start, length] = change.buffer1;
    for (; oldAt < start; oldAt++) body.push(` ${oldSlice[oldAt]}`);
    body.push(...change.buffer1Content.map((line) => `-${line}`));
    body.push(...change.buffer2Content.map((line) => `+${line}`));
    oldAt = start + length;
  }
  for (; oldAt < oldSlice.length; oldAt++) body.push(` ${oldSlice[oldAt]}`);
  return body;
}
