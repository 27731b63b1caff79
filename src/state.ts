/**
 * What the tool keeps inside a plugin, in `.flyte-task/`, to regenerate it later without git
 * or network: `manifest.json` (every generated file, its owner, and for tool-owned files the
 * hash of what was written, to notice hand edits) and `base/<path>`, the exact previous output
 * of each user-owned file, the base of the next three-way merge.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { STATE_DIR } from "./apply.js";
import type { Owner } from "./ownership.js";
import { templatesDir, toolVersion } from "./paths.js";
import { readIfExists } from "./plan.js";
import { renderPlugin, type RenderedFile } from "./render.js";
import type { TaskSchema } from "./schema.js";

export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
export const BASE_DIR = `${STATE_DIR}/base`;

export interface ManifestEntry {
  readonly owner: Exclude<Owner, "source">;
  /** For tool-owned files: sha256 of the content written. */
  readonly sha256?: string;
}

export interface Manifest {
  readonly generator: "create-flyte-task";
  readonly version: string;
  /** Hashes of what the files were generated from: the config's text, and the templates. */
  readonly inputs?: { readonly config: string; readonly templates: string };
  readonly files: Readonly<Record<string, ManifestEntry>>;
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function basePath(path: string): string {
  return `${BASE_DIR}/${path}`;
}

export function readManifest(root: string): Manifest | null {
  const text = readIfExists(join(root, MANIFEST_PATH));
  return text === null ? null : (JSON.parse(text) as Manifest);
}

export function readBase(root: string, path: string): string | null {
  return readIfExists(join(root, basePath(path)));
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

/** The manifest's text: sorted keys, so the same files always give the same bytes. */
export function manifestText(generated: readonly RenderedFile[], configText: string): string {
  const files: Record<string, ManifestEntry> = {};
  for (const { path, owner, content } of [...generated].sort((a, b) => a.path.localeCompare(b.path))) {
    if (owner === "tool") files[path] = { owner, sha256: sha256(content) };
    else if (owner === "user") files[path] = { owner };
  }
  const inputs = { config: sha256(configText), templates: templatesFingerprint() };
  const manifest: Manifest = { generator: "create-flyte-task", version: toolVersion(), inputs, files };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Every file of a new plugin, with the state that later regenerates need. */
export async function scaffoldFiles(schema: TaskSchema): Promise<Map<string, string>> {
  const rendered = await renderPlugin(schema);
  const files = new Map<string, string>();
  for (const file of rendered) {
    files.set(file.path, file.content);
    if (file.owner === "user") files.set(basePath(file.path), file.content);
  }
  const config = rendered.find((file) => file.owner === "source");
  files.set(MANIFEST_PATH, manifestText(rendered, config?.content ?? ""));
  return files;
}
