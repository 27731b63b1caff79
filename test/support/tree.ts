/** Whole-tree snapshots for the sync safety tests: every file, symlink and folder, by hash. */
import { createHash } from "node:crypto";
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBin } from "./cli.js";

/** path -> "file <sha256>" | "link <target>" | "dir", for everything under `root`. */
export function hashTree(root: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, name);
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) tree[name] = `link ${readlinkSync(path)}`;
    else if (stats.isDirectory()) tree[name] = "dir";
    else tree[name] = `file ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
  }
  return tree;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A small plugin made by the real bin, without git. */
export async function smallPlugin(parent: string, name = "acme", fields: readonly string[] = ["uri:str"]): Promise<string> {
  const result = await runBin("create-flyte-task", [name, "--yes", "--no-git", ...fields.flatMap((field) => ["--field", field])], parent);
  if (result.status !== 0) throw new Error(`create failed: ${result.stderr}`);
  return join(parent, name);
}

export function copyPlugin(from: string, to: string): string {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}

/** Adds a field to the config by hand, as a user would before `regenerate`. */
export function addFieldByHand(text: string, line = 'retries: { type: "int", default: 3 },'): string {
  return text.replace(/( *)fields: \{(\r?\n)/, (match, indent: string, eol: string) => `${match}${indent}  ${line}${eol}`);
}

export function flyteTask(cwd: string, ...args: string[]) {
  return runBin("flyte-task", args, cwd);
}
