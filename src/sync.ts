/**
 * Sync: the commands that keep a plugin in line with its schema: `regenerate`, `check` and the
 * `field` commands. Each reads the config, asks `plan` what would change, and hands the changes
 * to `apply`; `check` and every `--dry-run` only read.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { applyChanges, hasPendingChange, pendingChangeError, recoverInterrupted } from "./apply.js";
import type { FieldEdit } from "./config-file.js";
import { InputError } from "./errors.js";
import { withLock } from "./lock.js";
import { readIfExists, readTextFile } from "./files.js";
import { formatTypeScriptRange } from "./format.js";
import { normalize, restyle, styleOf } from "./line-endings.js";
import { hasConflictMarkers } from "./merge.js";
import { CONFIG_FILE, ownerOf } from "./ownership.js";
import { toolVersion } from "./paths.js";
import { changeLines, configNames, diffOf, planRegenerate, visibleChanges, withoutNoOps, type FileChange, type RegeneratePlan } from "./plan.js";
import { configUses, scanReferences } from "./references.js";
import { checkValue, deriveNames, LIMITS, parseFieldType, SchemaError, type TaskSchema } from "./schema.js";
import { readManifest, sha256, templatesFingerprint, type Manifest } from "./state.js";


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

/** The config file, read under the input rules (size, text, a file at all); exit 2 when it is missing. */
export function readConfigText(root: string): string {
  const text = readTextFile(join(root, CONFIG_FILE), { shown: CONFIG_FILE, maxBytes: LIMITS.configFileBytes });
  if (text === null) throw new InputError(`no ${CONFIG_FILE} in "${root}": run this in a plugin folder, or pass -C <plugin folder>`);
  return text;
}

/** One line per file that changed: the regenerate's outcomes, then the extra changes (the config). */
function report(plan: RegeneratePlan, extra: readonly FileChange[], log: (line: string) => void): void {
  for (const change of extra) log(`${"edited".padEnd(12)} ${change.path}`);
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
  return Object.entries(manifest.files).every(([path, entry]) => entry.owner !== "tool" || entry.sha256 === sha256(normalize(readIfExists(join(root, path)) ?? "")));
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
  const changes = withoutNoOps([...extra, ...plan.changes]);
  const visible = visibleChanges(changes);
  if (options.dryRun) {
    options.log(visible.length === 0 ? "Nothing to change." : diffOf(visible).trimEnd());
    return 0;
  }
  applyChanges(root, changes);
  report(plan, extra, options.log);
  if (plan.conflicts.length > 0) {
    options.error(`Conflicts to resolve (look for <<<<<<< markers): ${plan.conflicts.join(", ")}`);
    return 1;
  }
  options.log(visible.length === 0 ? "Already in sync." : `Regenerated: ${visible.length} file(s) changed.`);
  return 0;
}

/**
 * Runs a command that may write: holding the lock, after finishing an interrupted change. A dry
 * run only reads, so it takes no lock and stops at an interrupted change.
 */
async function writing(root: string, options: SyncOptions, work: () => Promise<number>): Promise<number> {
  readConfigText(root);
  if (options.dryRun) {
    if (hasPendingChange(root)) throw pendingChangeError();
    return work();
  }
  return withLock(root, async () => {
    recoverInterrupted(root);
    return work();
  });
}

/** The edits a command makes besides regenerating: the new config text, other files, user files rewritten before the merge. */
export interface Edits {
  readonly configText: string;
  readonly extra: readonly FileChange[];
  readonly overrides: Map<string, string>;
}

/** Prepares edits under the lock, then regenerates with them, all in one transaction (used by `release`). */
export function syncWithEdits(root: string, options: SyncOptions, prepare: () => Promise<Edits>): Promise<number> {
  return writing(root, options, async () => {
    const edits = await prepare();
    return sync(root, edits.configText, options, edits.extra, edits.overrides);
  });
}

export function regenerate(root: string, options: SyncOptions): Promise<number> {
  return writing(root, options, () => regenerateUnlocked(root, options));
}

async function regenerateUnlocked(root: string, options: SyncOptions): Promise<number> {
  const configText = readConfigText(root);
  if (unchangedSinceLastGeneration(root, configText)) {
    options.log(options.dryRun ? "Nothing to change." : "Already in sync.");
    return 0;
  }
  return sync(root, configText, options);
}

/**
 * Exit 0 when in sync, 1 when regenerate would change a file of the plugin or conflict markers
 * are left. Bookkeeping in `.flyte-task/` alone (a newer tool, its records) is no drift.
 */
export async function check(root: string, options: SyncOptions): Promise<number> {
  const configText = readConfigText(root);
  if (hasPendingChange(root)) {
    options.error(`${pendingChangeError().message}.`);
    return 1;
  }
  const manifest = readManifest(root);
  const schema = unchangedSinceLastGeneration(root, configText, manifest) ? null : (await configFile()).parseConfig(configText);
  const plan = schema === null ? { changes: [] } : await planRegenerate(root, configText, schema);
  const visible = visibleChanges(plan.changes);
  const unresolved = Object.entries(manifest?.files ?? {})
    .filter(([path, entry]) => entry.owner === "user" && hasConflictMarkers(readIfExists(join(root, path)) ?? ""))
    .map(([path]) => path);
  const stale = await staleConfigUses(root, manifest, schema, configText);
  for (const line of stale) options.error(line);
  if (visible.length === 0 && unresolved.length === 0 && stale.length === 0) {
    if (plan.changes.length > 0) options.log(`Note: create-flyte-task ${toolVersion()} would refresh its records in .flyte-task/ (\`npx flyte-task regenerate\`); no file of yours changes.`);
    options.log("In sync with flyte-task.config.ts.");
    return 0;
  }
  if (unresolved.length > 0) options.error(`Unresolved conflict markers in: ${unresolved.join(", ")}`);
  if (visible.length > 0) {
    options.error(`Out of sync with ${CONFIG_FILE}; \`npx flyte-task regenerate\` would change:`);
    for (const line of changeLines(visible)) options.error(`  ${line}`);
    if (options.diff) options.error(diffOf(visible).trimEnd());
  }
  return 1;
}

/** Members of the config class that are not fields: using them is fine. */
const CONFIG_MEMBERS: ReadonlySet<string> = new Set(["to_custom", "from_custom", "secrets", "__class__", "__dict__", "__dataclass_fields__"]);

/**
 * Uses of a config field that no longer exists in the user's Python (after `field remove`, or
 * a rename that could not rewrite them), as `path:line` lines. The names come from the manifest
 * when the config is unchanged, so the common check needs no TypeScript parser.
 */
async function staleConfigUses(root: string, manifest: Manifest | null, schema: TaskSchema | null, configText: string): Promise<string[]> {
  const known = schema !== null ? configNames(schema) : manifest?.fields !== undefined && manifest.configClass !== undefined ? { fields: manifest.fields, configClass: manifest.configClass } : configNames((await configFile()).parseConfig(configText));
  const names = new Set(known.fields);
  const lines: string[] = [];
  for (const path of userPythonFiles(root)) {
    for (const use of configUses(readIfExists(join(root, path)) ?? "", known.configClass)) {
      if (!names.has(use.name) && !CONFIG_MEMBERS.has(use.name)) lines.push(`${path}:${use.line}: "${use.name}" is not a field of ${CONFIG_FILE} any more: ${use.text}`);
    }
  }
  return lines;
}

/** Edits the config, then regenerates, all in one transaction. */
export function editFields(root: string, edit: FieldEdit, options: SyncOptions): Promise<number> {
  return writing(root, options, () => editFieldsUnlocked(root, edit, options));
}

async function editFieldsUnlocked(root: string, edit: FieldEdit, options: SyncOptions): Promise<number> {
  const before = readConfigText(root);
  const { editConfig, parseConfig } = await configFile();
  const schemaBefore = parseConfig(before);
  checkEdit(schemaBefore, edit);
  // Edited as LF without a BOM, then written back in the file's own endings and BOM.
  const edited = editConfig(normalize(before), edit);
  const after = restyle(await formatTypeScriptRange(edited.text, edited.range), styleOf(before));
  const overrides = referencesFor(root, edit, deriveNames(schemaBefore.name).configClass, options);
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
      const { type, choices } = parseFieldType(edit.type, ["fields", name, "type"], `field "${name}"`);
      checkValue(current, type, `field "${name}": its default`, ["fields", name], choices);
    }
  }
}

/** For rename: the user's Python with certain references rewritten; for rename and remove, lists the rest. */
function referencesFor(root: string, edit: FieldEdit, configClass: string, options: SyncOptions): Map<string, string> {
  const overrides = new Map<string, string>();
  if (edit.op !== "rename" && edit.op !== "remove") return overrides;
  const name = edit.op === "rename" ? edit.from : edit.name;
  for (const path of userPythonFiles(root)) {
    const source = readIfExists(join(root, path))!;
    const scan = scanReferences(source, name, configClass, edit.op === "rename" ? edit.to : undefined);
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
