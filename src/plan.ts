/**
 * Plan: the file changes a command will make, computed before anything is written, so that
 * `--dry-run` can show them and `apply` can make them all at once. A new plugin is every
 * rendered file plus the state later regenerates need; a regenerate rewrites tool-owned files
 * whole (unless edited by hand) and merges user-owned ones three ways against the previous
 * output kept in `.flyte-task/base/`.
 */
import { join } from "node:path";
import { unifiedDiff } from "./diff.js";
import { readIfExists } from "./files.js";
import { normalize, restyle, sameText, styleOf } from "./line-endings.js";
import { mergeThreeWay } from "./merge.js";
import { ownerOf, type Owner } from "./ownership.js";
import { toolVersion } from "./paths.js";
import { renderPlugin } from "./render.js";
import { deriveNames, type TaskSchema } from "./schema.js";
import { basePath, manifestText, MANIFEST_PATH, readBase, readManifest, sha256, STATE_DIR, type ManifestEntry } from "./state.js";

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

/** Drops changes that change nothing. */
export function withoutNoOps(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => change.before !== change.after);
}

/** The changes a user sees: the tool's own bookkeeping in `.flyte-task/` is left out. */
export function visibleChanges(changes: readonly FileChange[]): FileChange[] {
  return changes.filter((change) => !change.path.startsWith(`${STATE_DIR}/`));
}

/** `create  path` lines, one per change, in path order. */
export function changeLines(changes: readonly FileChange[]): string[] {
  return byPath(changes).map((change) => `${kindOf(change).padEnd(7)} ${change.path}`);
}

export function diffOf(changes: readonly FileChange[]): string {
  return byPath(changes)
    .map((change) => unifiedDiff(change.path, change.before, change.after))
    .join("");
}

function byPath(changes: readonly FileChange[]): FileChange[] {
  return [...changes].sort((a, b) => a.path.localeCompare(b.path));
}

/** What `check` needs to vet the user's code: every name the config answers to (fields and aliases) and its class. */
export function configNames(schema: TaskSchema): { fields: string[]; configClass: string } {
  return { fields: schema.fields.flatMap((field) => [field.name, ...(field.aliases ?? [])]), configClass: deriveNames(schema.name, schema.classPrefix).configClass };
}

// ---------------------------------------------------------------------------------------------
// A new plugin

/**
 * The changes that create a plugin in `root`: every rendered file, the base copy of each
 * user-owned one, and the manifest. Files already in `root` (with --force) show as updates.
 */
export async function planScaffold(root: string, schema: TaskSchema): Promise<FileChange[]> {
  const rendered = await renderPlugin(schema);
  const files = new Map<string, string>();
  for (const file of rendered) {
    files.set(file.path, file.content);
    if (file.owner === "user") files.set(basePath(file.path), file.content);
  }
  const config = rendered.find((file) => file.owner === "config");
  files.set(MANIFEST_PATH, manifestText(rendered, config?.content ?? "", configNames(schema)));
  return [...files].map(([path, after]) => ({ path, before: readIfExists(join(root, path)), after }));
}

// ---------------------------------------------------------------------------------------------
// A regenerate

/** What happened to one file, for the report a regenerate prints. */
export type Outcome = "unchanged" | "written" | "merged" | "conflict" | "created" | "kept-deleted" | "removed" | "kept-changed" | "edited";

export interface FileReport {
  readonly path: string;
  readonly outcome: Outcome;
  readonly detail?: string;
}

export interface RegeneratePlan {
  readonly changes: FileChange[];
  readonly reports: FileReport[];
  /** Tool-owned files edited by hand: regenerate stops unless forced. */
  readonly edited: FileChange[];
  readonly conflicts: string[];
}

interface FileInputs {
  readonly path: string;
  readonly owner: Owner;
  readonly next: string | null;
  /** The file as it is on disk. */
  readonly disk: string | null;
  /** The user's side of the merge: the disk content, or its override (references rewritten). */
  readonly ours: string | null;
  /** What the manifest of the last generation says of the file; undefined when it was not generated. */
  readonly lastGenerated: ManifestEntry | undefined;
  readonly base: string | null;
}

/**
 * What regenerate would do. `overrides` replaces disk contents of user files (used by `field
 * rename`, which rewrites references in the user's Python before the merge).
 */
export async function planRegenerate(
  root: string,
  configText: string,
  schema: TaskSchema,
  overrides: ReadonlyMap<string, string> = new Map(),
): Promise<RegeneratePlan> {
  const rendered = await renderPlugin(schema, { withConfigFile: false });
  const manifest = readManifest(root);
  const next = new Map(rendered.map((file) => [file.path, file.content]));
  const paths = new Set([...next.keys(), ...Object.keys(manifest?.files ?? {})]);
  const plan: RegeneratePlan = { changes: [], reports: [], edited: [], conflicts: [] };
  for (const path of [...paths].sort()) {
    const disk = readIfExists(join(root, path));
    const inputs: FileInputs = {
      path,
      owner: ownerOf(path),
      next: next.get(path) ?? null,
      disk,
      ours: overrides.get(path) ?? disk,
      lastGenerated: manifest?.files[path],
      base: readBase(root, path),
    };
    if (inputs.owner === "tool") planToolFile(inputs, plan);
    else planUserFile(inputs, plan);
    planBase(inputs, plan);
  }
  for (const [path, content] of overrides) {
    if (!paths.has(path)) plan.changes.push({ path, before: readIfExists(join(root, path)), after: content });
  }
  plan.changes.push({ path: MANIFEST_PATH, before: readIfExists(join(root, MANIFEST_PATH)), after: manifestText(rendered, configText, configNames(schema)) });
  return { ...plan, changes: withoutNoOps(plan.changes) };
}

function planToolFile({ path, next: rendered, disk, lastGenerated }: FileInputs, plan: RegeneratePlan): void {
  // A checkout in CRLF (git's autocrlf) is no hand edit, and keeps its endings.
  const next = rendered === null || disk === null ? rendered : restyle(rendered, styleOf(disk));
  const editedByHand = disk !== null && lastGenerated?.sha256 !== undefined && sha256(normalize(disk)) !== lastGenerated.sha256 && !sameText(disk, next);
  if (editedByHand) plan.edited.push({ path, before: disk, after: next });
  if (next === null) {
    if (disk !== null && editedByHand) {
      plan.reports.push({ path, outcome: "kept-changed", detail: "no longer generated; kept because it was edited" });
      return;
    }
    if (disk !== null) plan.reports.push({ path, outcome: "removed" });
    plan.changes.push({ path, before: disk, after: null });
    return;
  }
  plan.changes.push({ path, before: disk, after: next });
  plan.reports.push({ path, outcome: disk === next ? "unchanged" : disk === null ? "created" : editedByHand ? "edited" : "written" });
}

function planUserFile({ path, next, disk, ours, lastGenerated, base }: FileInputs, plan: RegeneratePlan): void {
  if (next === null) {
    if (disk === null) return;
    if (sameText(disk, base)) {
      plan.changes.push({ path, before: disk, after: null });
      plan.reports.push({ path, outcome: "removed" });
    } else {
      plan.changes.push({ path, before: disk, after: ours });
      plan.reports.push({ path, outcome: "kept-changed", detail: "no longer generated; kept because you changed it" });
    }
    return;
  }
  if (disk === null) {
    if (lastGenerated !== undefined) {
      plan.reports.push({ path, outcome: "kept-deleted" });
      return;
    }
    plan.changes.push({ path, before: null, after: next });
    plan.reports.push({ path, outcome: "created" });
    return;
  }
  const merged = mergeThreeWay(ours ?? disk, base ?? "", next, {
    ours: `${path} (yours)`,
    base: `${path} (previous generation)`,
    theirs: `${path} (regenerated by create-flyte-task ${toolVersion()})`,
  });
  plan.changes.push({ path, before: disk, after: merged.content });
  if (merged.conflicts > 0) plan.conflicts.push(path);
  const outcome: Outcome = merged.conflicts > 0 ? "conflict" : merged.content === disk ? "unchanged" : merged.content === next ? "written" : "merged";
  plan.reports.push({ path, outcome, ...(merged.conflicts > 0 ? { detail: `${merged.conflicts} conflict(s)` } : {}) });
}

/** Keeps `.flyte-task/base/` equal to the pristine new output of every user-owned file. */
function planBase({ path, owner, next, base }: FileInputs, plan: RegeneratePlan): void {
  if (owner !== "user" || base === next) return;
  plan.changes.push({ path: basePath(path), before: base, after: next });
}
