/**
 * State: what the tool keeps inside a plugin, in `.flyte-task/`, to regenerate it later without
 * git or network: `manifest.json` (every generated file, its owner, and for tool-owned files the
 * hash of what was written, to notice hand edits) and `base/<path>`, the exact previous output
 * of each user-owned file, the base of the next three-way merge.
 *
 * The folder is committed and arrives through pull requests, so everything read from it is
 * untrusted input: a path is used only when it is a plain relative path inside the plugin.
 */
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { InputError } from "./errors.js";
import { readTextFile } from "./files.js";
import type { Owner } from "./ownership.js";
import { templatesDir, toolVersion } from "./paths.js";

/** The tool's folder inside a plugin. */
export const STATE_DIR = ".flyte-task";
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestEntry {
  readonly owner: "tool" | "user";
  /** For tool-owned files: sha256 of the content written. */
  readonly sha256?: string;
}

export interface Manifest {
  readonly generator: "create-flyte-task";
  readonly version: string;
  /** Hashes of what the files were generated from: the config's text, and the templates. */
  readonly inputs?: { readonly config: string; readonly templates: string };
  /** The config's field names and their aliases, so `check` can vet the user's code without parsing the config. */
  readonly fields?: readonly string[];
  /** The config's class name, with `fields` the same purpose. */
  readonly configClass?: string;
  readonly files: Readonly<Record<string, ManifestEntry>>;
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function basePath(path: string): string {
  return `${BASE_DIR}/${path}`;
}

const MAX_PATH_LENGTH = 1024;

/**
 * Whether `path` is a plain relative path to a file of the plugin: `/`-separated, no empty,
 * `.` or `..` segment, no drive or backslash, nothing inside `.git/` or the tool's own folder.
 */
export function isPluginPath(path: unknown): path is string {
  if (typeof path !== "string" || path === "" || path.length > MAX_PATH_LENGTH) return false;
  if (/[\\\0:]/.test(path) || path.startsWith("/")) return false;
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return false;
  return segments[0] !== STATE_DIR && !segments.includes(".git");
}

/** Whether `path` is a file the tool writes: a plugin file, the manifest, or a base copy. */
export function isWritablePath(path: unknown): path is string {
  if (typeof path !== "string") return false;
  if (path === MANIFEST_PATH) return true;
  return path.startsWith(`${BASE_DIR}/`) ? isPluginPath(path.slice(BASE_DIR.length + 1)) : isPluginPath(path);
}

/**
 * Throws unless every folder on the way from `root` to `path` is a real folder or absent: a
 * symlink there (`.flyte-task/base` pointing elsewhere, say) would lead a read or a write out of
 * the plugin. Called at each use, not once up front, since the tree changes under us.
 */
export function checkNoLinkedFolders(root: string, path: string, source: string): void {
  const segments = path.split("/").slice(0, -1);
  let dir = root;
  for (const [index, segment] of segments.entries()) {
    dir = join(dir, segment);
    let stats;
    try {
      stats = lstatSync(dir);
    } catch {
      return;
    }
    if (stats.isSymbolicLink()) {
      throw new InputError(`${source}: entry ${JSON.stringify(path)} goes through ${segments.slice(0, index + 1).join("/")}, a symlink; refusing to follow it out of the plugin`);
    }
  }
}

const STATE_ADVICE = `restore it from git (git checkout -- ${STATE_DIR}) or regenerate from a clean checkout`;

function stateError(file: string, rule: string): InputError {
  return new InputError(`${file}: ${rule}; ${STATE_ADVICE}`);
}

/** The manifest, checked entry by entry; null when the plugin has none. */
export function readManifest(root: string): Manifest | null {
  const text = readTextFile(join(root, MANIFEST_PATH), { shown: MANIFEST_PATH, advice: STATE_ADVICE });
  if (text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw stateError(MANIFEST_PATH, `is not valid JSON (${(error as Error).message})`);
  }
  return checkManifest(data);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkManifest(data: unknown): Manifest {
  if (!isObject(data) || data.generator !== "create-flyte-task" || typeof data.version !== "string" || !isObject(data.files)) {
    throw stateError(MANIFEST_PATH, 'must be an object with "generator": "create-flyte-task", a "version" and "files"');
  }
  const inputs = data.inputs;
  if (inputs !== undefined && !(isObject(inputs) && typeof inputs.config === "string" && typeof inputs.templates === "string")) {
    throw stateError(MANIFEST_PATH, '"inputs" must hold the "config" and "templates" hashes');
  }
  const files: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(data.files)) {
    if (!isPluginPath(path)) throw stateError(MANIFEST_PATH, `entry ${JSON.stringify(path)} is not a relative path inside the plugin`);
    if (!isObject(entry) || (entry.owner !== "tool" && entry.owner !== "user") || (entry.sha256 !== undefined && typeof entry.sha256 !== "string")) {
      throw stateError(MANIFEST_PATH, `entry ${JSON.stringify(path)} must be {"owner": "tool" | "user", "sha256"?: string}`);
    }
    files[path] = entry.sha256 === undefined ? { owner: entry.owner } : { owner: entry.owner, sha256: entry.sha256 };
  }
  const names = data.fields;
  if (data.configClass !== undefined && (typeof data.configClass !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(data.configClass))) {
    throw stateError(MANIFEST_PATH, '"configClass" must be a Python class name');
  }
  if (names !== undefined && !(Array.isArray(names) && names.every((name) => typeof name === "string"))) {
    throw stateError(MANIFEST_PATH, '"fields" must be a list of the config\'s field names');
  }
  return {
    generator: "create-flyte-task",
    version: data.version,
    ...(inputs === undefined ? {} : { inputs: inputs as Manifest["inputs"] }),
    ...(names === undefined ? {} : { fields: names as string[] }),
    ...(data.configClass === undefined ? {} : { configClass: data.configClass as string }),
    files,
  };
}

export function readBase(root: string, path: string): string | null {
  checkNoLinkedFolders(root, basePath(path), BASE_DIR);
  return readTextFile(join(root, basePath(path)), { shown: basePath(path), advice: STATE_ADVICE });
}

let fingerprint: string | undefined;

/** One hash of every template file, so that a regenerate can tell when the templates changed. */
export function templatesFingerprint(): string {
  fingerprint ??= hashTemplates();
  return fingerprint;
}

function hashTemplates(): string {
  const hash = createHash("sha256").update(toolVersion());
  const root = templatesDir();
  for (const path of readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()) {
    hash.update(`\0${relative(root, path)}\0`).update(readFileSync(path));
  }
  return hash.digest("hex");
}

/** A generated file, as the manifest records it. */
export interface GeneratedFile {
  readonly path: string;
  readonly owner: Owner;
  readonly content: string;
}

/** The manifest's text: sorted keys, so the same files always give the same bytes. */
export function manifestText(generated: readonly GeneratedFile[], configText: string, config: { readonly fields: readonly string[]; readonly configClass: string }): string {
  const files: Record<string, ManifestEntry> = {};
  for (const { path, owner, content } of [...generated].sort((a, b) => a.path.localeCompare(b.path))) {
    if (owner === "tool") files[path] = { owner, sha256: sha256(content) };
    else if (owner === "user") files[path] = { owner };
  }
  const inputs = { config: sha256(configText), templates: templatesFingerprint() };
  const manifest: Manifest = { generator: "create-flyte-task", version: toolVersion(), inputs, fields: [...config.fields], configClass: config.configClass, files };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
