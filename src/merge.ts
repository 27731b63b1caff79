/**
 * Three-way merge of a user-owned file, as copier does on update: base is the exact output of
 * the previous generation, ours the file on disk, theirs the new output. Lines keep their own
 * terminators, so a clean merge reproduces every byte the user wrote.
 */
import { diff3Merge } from "node-diff3";
import { normalize, restyle, styleOf } from "./line-endings.js";

export interface MergeResult {
  readonly content: string;
  /** How many conflict blocks were written with markers. */
  readonly conflicts: number;
}

export interface MergeLabels {
  readonly ours: string;
  readonly base: string;
  readonly theirs: string;
}

/** Splits text into lines that keep their "\n", so joining them gives the text back exactly. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function ensureNewline(lines: readonly string[]): string[] {
  const copy = [...lines];
  const last = copy.length - 1;
  if (last >= 0 && !copy[last]!.endsWith("\n")) copy[last] = `${copy[last]}\n`;
  return copy;
}

/**
 * Merges on normalized text (LF, no BOM) and writes the result in the style of `ours`, so a
 * file checked out in CRLF merges line by line as in LF.
 */
export function mergeThreeWay(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  if (ours === theirs || theirs === base) return { content: ours, conflicts: 0 };
  const style = styleOf(ours);
  const merged = mergeNormalized(normalize(ours), normalize(base), normalize(theirs), labels);
  const content = restyle(merged.content, style);
  return { content: merged.content === normalize(ours) ? ours : content, conflicts: merged.conflicts };
}

function mergeNormalized(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  if (ours === theirs || theirs === base) return { content: ours, conflicts: 0 };
  if (ours === base) return { content: theirs, conflicts: 0 };
  const out: string[] = [];
  let conflicts = 0;
  for (const block of diff3Merge(linesOf(ours), linesOf(base), linesOf(theirs), { excludeFalseConflicts: true })) {
    if (block.ok) {
      out.push(...block.ok);
      continue;
    }
    const conflict = block.conflict!;
    conflicts++;
    out.push(
      `<<<<<<< ${labels.ours}\n`,
      ...ensureNewline(conflict.a),
      `||||||| ${labels.base}\n`,
      ...ensureNewline(conflict.o),
      "=======\n",
      ...ensureNewline(conflict.b),
      `>>>>>>> ${labels.theirs}\n`,
    );
  }
  return { content: out.join(""), conflicts };
}

const MARKER_LINE = /^(<{7}|>{7}) /m;

/** Whether a file still holds conflict markers from a merge. */
export function hasConflictMarkers(content: string): boolean {
  const text = normalize(content);
  return MARKER_LINE.test(text) && /^={7}$/m.test(text);
}
