/**
 * Sync: keeps a plugin in line with its schema. `scaffoldFiles` is the first generation;
 * `planRegenerate` renders the schema again and works out, file by file, what to write:
 * tool-owned files are rewritten whole (unless edited by hand), user-owned files are merged
 * three ways against the previous output kept in `.flyte-task/base/`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { applyChanges, recoverInterrupted, STATE_DIR } from "./apply.js";
import type { FieldEdit } from "./config-file.js";
import { InputError } from "./errors.js";
import { formatTypeScriptRange } from "./format.js";
import { hasConflictMarkers, mergeThreeWay } from "./merge.js";
import { CONFIG_FILE, ownerOf, type Owner } from "./ownership.js";
import { toolVersion } from "./paths.js";
import { describe, diffOf, effective, readIfExists, type FileChange } from "./plan.js";
import { scanReferences } from "./references.js";
import { renderPlugin } from "./render.js";
import { checkFieldType, checkValue, SchemaError, type TaskSchema } from "./schema.js";
import { basePath, manifestText, MANIFEST_PATH, readBase, readManifest, sha256, templatesFingerprint, type Manifest } from "./state.js";

export type Outcome =
  | "unchanged"
  | "written"
  | "merged"
  | "conflict"
  | "created"
  | "kept-deleted"
  | "removed"
  | "kept-changed"
  | "edited";

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
  readonly previously: Manifest["files"][string] | undefined;
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
      previously: manifest?.files[path],
      base: readBase(root, path),
    };
    if (inputs.owner === "tool") planToolFile(inputs, plan);
    else planUserFile(inputs, plan);
    planBase(inputs, plan);
  }
  for (const [path, content] of overrides) {
    if (!paths.has(path)) plan.changes.push({ path, before: readIfExists(join(root, path)), after: content });
  }
  plan.changes.push({ path: MANIFEST_PATH, before: readIfExists(join(root, MANIFEST_PATH)), after: manifestText(rendered, configText) });
  return { ...plan, changes: effective(plan.changes) };
}

function planToolFile({ path, next, disk, previously }: FileInputs, plan: RegeneratePlan): void {
  const editedByHand = disk !== null && previously?.sha256 !== undefined && sha256(disk) !== previously.sha256 && disk !== next;
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

function planUserFile({ path, next, disk, ours, previously, base }: FileInputs, plan: RegeneratePlan): void {
  if (next === null) {
    if (disk === null) return;
    if (disk === base) {
      plan.changes.push({ path, before: disk, after: null });
      plan.reports.push({ path, outcome: "removed" });
    } else {
      plan.changes.push({ path, before: disk, after: ours });
      plan.reports.push({ path, outcome: "kept-changed", detail: "no longer generated; kept because you changed it" });
    }
    return;
  }
  if (disk === null) {
    if (previously !== undefined) {
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

// ---------------------------------------------------------------------------------------------
// The commands: regenerate, check, and the field commands.

export interface SyncOptions {
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly diff: boolean;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/** The config reader, loaded on demand: it brings in ts-morph and the TypeScript parser. */
function configFile(): Promise<typeof import("./config-file.js")> {
  return import("./config-file.js");
}

function readConfigText(root: string): string {
  const text = readIfExists(join(root, CONFIG_FILE));
  if (text === null) throw new InputError(`no ${CONFIG_FILE} in "${root}": run this in a plugin folder, or pass -C <plugin folder>`);
  return text;
}

function report(plan: RegeneratePlan, log: (line: string) => void): void {
  for (const entry of plan.reports) {
    if (entry.outcome === "unchanged") continue;
    log(`${entry.outcome.padEnd(12)} ${entry.path}${entry.detail ? ` (${entry.detail})` : ""}`);
  }
}

/** Stops when tool-owned files were edited by hand, showing what would be lost. */
function refuseHandEdits(plan: RegeneratePlan, options: SyncOptions): boolean {
  if (plan.edited.length === 0 || options.force) return false;
  options.error(`These generated files were edited by hand; regenerating would overwrite the edits: ${plan.edited.map((c) => c.path).join(", ")}`);
  options.error(`Move the change into ${CONFIG_FILE} or a user-owned file, or pass --force to overwrite. The difference:`);
  options.error(diffOf(plan.edited).trimEnd());
  return true;
}

/**
 * Whether regenerate would change nothing, decided from hashes alone: the config and the
 * templates are those of the last generation, and no tool-owned file was edited or deleted.
 * Then the common case (CI's check, a regenerate after pulling) needs neither the TypeScript
 * parser nor a render.
 */
function unchangedSinceLastGeneration(root: string, configText: string, manifest = readManifest(root)): boolean {
  if (manifest?.inputs === undefined || manifest.version !== toolVersion()) return false;
  if (manifest.inputs.config !== sha256(configText) || manifest.inputs.templates !== templatesFingerprint()) return false;
  return Object.entries(manifest.files).every(([path, entry]) => entry.owner !== "tool" || entry.sha256 === sha256(readIfExists(join(root, path)) ?? ""));
}

/** Plans (and unless dry-run applies) a regenerate with extra changes, e.g. an edited config. */
async function sync(
  root: string,
  configText: string,
  options: SyncOptions,
  extra: readonly FileChange[] = [],
  overrides = new Map<string, string>(),
): Promise<number> {
  const { parseConfig } = await configFile();
  const plan = await planRegenerate(root, configText, parseConfig(configText), overrides);
  if (refuseHandEdits(plan, options)) return 1;
  const changes = effective([...extra, ...plan.changes]);
  if (options.dryRun) {
    options.log(changes.length === 0 ? "Nothing to change." : diffOf(changes).trimEnd());
    return 0;
  }
  applyChanges(root, changes);
  report(plan, options.log);
  if (plan.conflicts.length > 0) {
    options.error(`Conflicts to resolve (look for <<<<<<< markers): ${plan.conflicts.join(", ")}`);
    return 1;
  }
  options.log(changes.length === 0 ? "Already in sync." : `Regenerated: ${changes.filter((c) => !c.path.startsWith(STATE_DIR)).length} file(s) changed.`);
  return 0;
}

export async function regenerate(root: string, options: SyncOptions): Promise<number> {
  recoverInterrupted(root);
  const configText = readConfigText(root);
  if (unchangedSinceLastGeneration(root, configText)) {
    options.log(options.dryRun ? "Nothing to change." : "Already in sync.");
    return 0;
  }
  return sync(root, configText, options);
}

/** Exit 0 when in sync, 1 when regenerate would change files or conflict markers are left. */
export async function check(root: string, options: SyncOptions): Promise<number> {
  recoverInterrupted(root);
  const configText = readConfigText(root);
  const manifest = readManifest(root);
  const plan = unchangedSinceLastGeneration(root, configText, manifest)
    ? { changes: [] }
    : await planRegenerate(root, configText, (await configFile()).parseConfig(configText));
  const unresolved = Object.entries(manifest?.files ?? {})
    .filter(([path, entry]) => entry.owner === "user" && hasConflictMarkers(readIfExists(join(root, path)) ?? ""))
    .map(([path]) => path);
  if (plan.changes.length === 0 && unresolved.length === 0) {
    options.log("In sync with flyte-task.config.ts.");
    return 0;
  }
  if (unresolved.length > 0) options.error(`Unresolved conflict markers in: ${unresolved.join(", ")}`);
  if (plan.changes.length > 0) {
    options.error(`Out of sync with ${CONFIG_FILE}; \`npx flyte-task regenerate\` would change:`);
    for (const line of describe(plan.changes)) options.error(`  ${line}`);
    if (options.diff) options.error(diffOf(plan.changes).trimEnd());
  }
  return 1;
}

/** Edits the config, then regenerates, all in one transaction. */
export async function editFields(root: string, edit: FieldEdit, options: SyncOptions): Promise<number> {
  recoverInterrupted(root);
  const before = readConfigText(root);
  const { editConfig, parseConfig } = await configFile();
  const schemaBefore = parseConfig(before);
  checkEdit(schemaBefore, edit);
  const edited = editConfig(before, edit);
  const after = await formatTypeScriptRange(edited.text, edited.range);
  const overrides = referencesFor(root, edit, options);
  return sync(root, after, options, [{ path: CONFIG_FILE, before, after }], overrides);
}

function checkEdit(schema: TaskSchema, edit: FieldEdit): void {
  const exists = (name: string) => schema.fields.some((field) => field.name === name);
  const name = edit.op === "add" ? String(edit.field.name) : edit.op === "rename" ? edit.from : edit.name;
  if (edit.op === "add" && exists(name)) throw new SchemaError(`field "${name}" is defined twice: it exists already`, ["fields", name]);
  if (edit.op !== "add" && !exists(name)) {
    throw new SchemaError(`field "${name}" does not exist: fields are ${schema.fields.map((f) => f.name).join(", ") || "(none)"}`, ["fields", name]);
  }
  if (edit.op === "retype" && edit.default === undefined) {
    const current = schema.fields.find((field) => field.name === name)?.default;
    if (current !== undefined && current !== null) {
      checkValue(current, checkFieldType(edit.type, ["fields", name, "type"], `field "${name}"`), `field "${name}": its default`, ["fields", name]);
    }
  }
}

/** For rename: the user's Python with certain references rewritten; for rename and remove, lists the rest. */
function referencesFor(root: string, edit: FieldEdit, options: SyncOptions): Map<string, string> {
  const overrides = new Map<string, string>();
  if (edit.op !== "rename" && edit.op !== "remove") return overrides;
  const name = edit.op === "rename" ? edit.from : edit.name;
  for (const path of userPythonFiles(root)) {
    const source = readIfExists(join(root, path))!;
    const scan = scanReferences(source, name, edit.op === "rename" ? edit.to : undefined);
    if (scan.rewritten > 0) {
      overrides.set(path, scan.source);
      options.log(`rewrote ${scan.rewritten} reference(s) to "${name}" in ${path}`);
    }
    for (const reference of scan.leftOver) {
      options.log(`${path}:${reference.line}: "${name}" ${edit.op === "rename" ? "not rewritten" : "still referenced"}: ${reference.text}`);
    }
  }
  return overrides;
}

const SKIPPED_DIRS: ReadonlySet<string> = new Set(["node_modules", "build", "dist", "__pycache__", "venv"]);

/**
 * Python files the user owns: everything but tool-owned files, walking past hidden folders
 * (.venv, .git, .flyte-task) and build output without listing what is inside them.
 */
function userPythonFiles(root: string, dir = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory() && !entry.name.startsWith(".") && !SKIPPED_DIRS.has(entry.name)) files.push(...userPythonFiles(root, path));
    else if (entry.isFile() && entry.name.endsWith(".py") && ownerOf(path) === "user") files.push(path);
  }
  return files.sort();
}
