/**
 * Apply is all or nothing: a failure part-way restores every file, and a run killed part-way
 * past its commit point is finished by the next command.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyChanges, recoverInterrupted } from "../../src/apply.js";
import type { FileChange } from "../../src/plan.js";
import { REPO_ROOT } from "../support/python-env.js";

function tree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name).slice(root.length + 1)] = readFileSync(join(entry.parentPath, entry.name), "utf8");
  }
  return files;
}

function plugin(count: number): { root: string; changes: FileChange[] } {
  const root = mkdtempSync(join(tmpdir(), "cft-apply-"));
  const changes: FileChange[] = [];
  for (let index = 0; index < count; index++) {
    const path = `pkg/file_${index}.py`;
    mkdirSync(join(root, "pkg"), { recursive: true });
    writeFileSync(join(root, path), `old ${index}\n`);
    changes.push({ path, before: `old ${index}\n`, after: `new ${index}\n`.repeat(200) });
  }
  return { root, changes };
}

describe("applying changes", () => {
  it("writes creates, updates and deletes together", () => {
    const { root } = plugin(2);
    applyChanges(root, [
      { path: "pkg/file_0.py", before: "old 0\n", after: "new\n" },
      { path: "pkg/file_1.py", before: "old 1\n", after: null },
      { path: "docs/new.md", before: null, after: "# new\n" },
    ]);
    expect(tree(root)).toEqual({ "pkg/file_0.py": "new\n", "docs/new.md": "# new\n" });
  });

  it("restores every file when a change fails part-way", () => {
    const { root, changes } = plugin(5);
    writeFileSync(join(root, "blocker"), "a file where a folder is needed\n");
    const before = tree(root);
    const failing = [...changes, { path: "new/created.txt", before: null, after: "created\n" }, { path: "blocker/inside.txt", before: null, after: "x\n" }];
    expect(() => applyChanges(root, failing)).toThrow();
    expect(tree(root)).toEqual(before);
    expect(existsSync(join(root, "new"))).toBe(false);
  });

  it("rolls forward a run that was killed part-way through its renames (past the commit point)", async () => {
    // Retries with more files until the kill lands between the first and the last rename.
    for (let count = 400; count <= 12_800; count *= 2) {
      const { root, changes } = plugin(count);
      const before = tree(root);
      const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD], { stdio: ["pipe", "ignore", "inherit"], cwd: REPO_ROOT });
      child.stdin.end(JSON.stringify({ root, changes }));
      // Kill as soon as the first file has been renamed into place.
      const first = join(root, changes[0]!.path);
      while (statSync(first).size === changes[0]!.before!.length && child.exitCode === null) await new Promise((resolve) => setImmediate(resolve));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const updated = Object.entries(tree(root)).filter(([path, content]) => path.startsWith("pkg/") && content !== before[path]).length;
      if (updated === 0 || updated === count) continue;
      recoverInterrupted(root);
      expect(tree(root)).toEqual(Object.fromEntries(changes.map((change) => [change.path, change.after])));
      return;
    }
    throw new Error("the kill never landed part-way through the renames");
  });
});

const CHILD = `
import { applyChanges } from "./dist/src/apply.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { root, changes } = JSON.parse(input);
applyChanges(root, changes);
`;
