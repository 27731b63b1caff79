/**
 * A staging folder left by a killed `create` (`.NAME.flyte-task-XXXXXXXX` beside the target) is
 * removed by the next `create` into the same parent; nothing else is: not a folder of a live
 * create, not a look-alike name, not a symlink or a file.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, runBin } from "./support/cli.js";
import { REPO_ROOT } from "./support/python-env.js";
import { hashTree, tempDir } from "./support/tree.js";

function staging(parent: string, name: string, lockPid?: number): void {
  mkdirSync(join(parent, name, ".flyte-task"), { recursive: true });
  writeFileSync(join(parent, name, "README.md"), "half-written\n");
  if (lockPid !== undefined) writeFileSync(join(parent, name, ".flyte-task/lock"), `${lockPid}\n`);
}

describe("staging folders left by a killed create", () => {
  it("a create killed before its final rename leaves one, which the next create removes", async () => {
    const parent = tempDir("cft-staging-");
    const killed = await run("strace", ["-f", "-qq", "-o", "/dev/null", "-e", "inject=rename:signal=SIGKILL:when=1", process.execPath, join(REPO_ROOT, "bin", "create-flyte-task.js"), "acme", "--yes", "--no-git"], { cwd: parent });
    expect(killed.status).toBeNull();
    expect(readdirSync(parent)).toEqual([expect.stringMatching(/^\.acme\.flyte-task-[0-9a-f]{8}$/)]);
    const next = await runBin("create-flyte-task", ["acme", "--yes", "--no-git"], parent);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/Removed \.acme\.flyte-task-[0-9a-f]{8}, left by an interrupted create/);
    expect(readdirSync(parent)).toEqual(["acme"]);
  });

  it("removes only dead creates' folders of that exact pattern", async () => {
    const parent = tempDir("cft-staging-");
    const outside = tempDir("cft-outside-");
    writeFileSync(join(outside, "keep.txt"), "keep\n");
    const dead = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => dead.once("exit", resolve));
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      staging(parent, ".acme.flyte-task-0123abcd", dead.pid);
      staging(parent, ".other.flyte-task-deadbeef");
      const kept = [".live.flyte-task-11111111", ".acme.flyte-task-xyz", ".acme.flyte-task-0123abcd5", "acme.flyte-task-44444444", ".link.flyte-task-22222222", ".file.flyte-task-33333333", "mine"];
      staging(parent, ".live.flyte-task-11111111", live.pid);
      staging(parent, ".acme.flyte-task-xyz");
      staging(parent, ".acme.flyte-task-0123abcd5");
      staging(parent, "acme.flyte-task-44444444");
      staging(parent, "mine");
      symlinkSync(outside, join(parent, ".link.flyte-task-22222222"));
      writeFileSync(join(parent, ".file.flyte-task-33333333"), "a file\n");
      const before = hashTree(parent);
      const outsideBefore = hashTree(outside);
      const result = await runBin("create-flyte-task", ["fresh", "--yes", "--no-git"], parent);
      expect(result.status, result.stderr).toBe(0);
      expect(readdirSync(parent).sort()).toEqual([...kept, "fresh"].sort());
      const after = hashTree(parent);
      for (const [path, hash] of Object.entries(before)) {
        if (!path.startsWith(".acme.flyte-task-0123abcd/") && !path.startsWith(".other.flyte-task-deadbeef/") && !/^\.(acme\.flyte-task-0123abcd|other\.flyte-task-deadbeef)$/.test(path)) expect(after[path], path).toBe(hash);
      }
      expect(hashTree(outside)).toEqual(outsideBefore);
    } finally {
      live.kill("SIGKILL");
    }
  });
});
