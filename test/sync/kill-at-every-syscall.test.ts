/**
 * A kill at any instant of a regenerate: the real bin runs under strace, which kills it at its
 * Nth rename, unlink, link or fsync (each staged write ends in an fsync), for every N until a
 * run completes. After each kill, a run that had not reached the commit point left every file of
 * the plugin as it was; the next `regenerate` then ends in exactly the new tree, rolling a
 * committed change forward rather than undoing it, and `check` agrees.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { run } from "../support/cli.js";
import { REPO_ROOT } from "../support/python-env.js";
import { addFieldByHand, copyPlugin, flyteTask, hashTree, smallPlugin, tempDir } from "../support/tree.js";

// strace counts each syscall's invocations separately, so each family is swept on its own.
const SYSCALLS = ["rename,renameat,renameat2", "unlink,unlinkat", "link,linkat", "fsync"];

/** The tree without the tool's transient files (the lock and the transaction). */
function settled(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).filter(([path]) => !/^\.flyte-task\/(txn|lock)/.test(path)));
}

describe("a regenerate killed at any rename, unlink or write", () => {
  let old = "";
  let expectedNew: Record<string, string> = {};
  let work = "";

  beforeAll(async () => {
    work = tempDir("cft-kill-");
    old = await smallPlugin(work);
    writeFileSync(join(old, "flyte-task.config.ts"), addFieldByHand(readFileSync(join(old, "flyte-task.config.ts"), "utf8")));
    // A user edit to merge, so the run both merges and rewrites.
    writeFileSync(join(old, "README.md"), `${readFileSync(join(old, "README.md"), "utf8")}\nMy own notes.\n`);
    const reference = copyPlugin(old, join(work, "reference"));
    expect((await flyteTask(reference, "regenerate")).status).toBe(0);
    expectedNew = hashTree(reference);
  });

  it("ends in exactly the old or the new tree, and rolls forward once committed", async () => {
    const oldTree = hashTree(old);
    let kills = 0;
    let committed = 0;
    let trial = 0;
    for (const syscalls of SYSCALLS) {
      for (let n = 1; ; n++) {
        const plugin = copyPlugin(old, join(work, `trial-${++trial}`));
        const where = `${syscalls.split(",")[0]} #${n}`;
        const inject = `inject=${syscalls}:signal=SIGKILL:when=${n}`;
        const killed = await run("strace", ["-f", "-qq", "-o", "/dev/null", "-e", inject, process.execPath, join(REPO_ROOT, "bin", "flyte-task.js"), "regenerate"], { cwd: plugin });
        if (killed.status === 0) {
          expect(hashTree(plugin), `run with ${where} completed`).toEqual(expectedNew);
          break;
        }
        expect(killed.status, `killed at ${where}: ${killed.stderr}`).toBeNull();
        kills++;
        // With a journal the change is committed and half-placed; without one, every file is
        // still old (killed before the commit point) or already new (killed while cleaning up).
        const pastCommit = existsSync(join(plugin, ".flyte-task/txn/journal.json"));
        if (pastCommit) committed++;
        else expect([settled(oldTree), settled(expectedNew)], `killed at ${where}, no journal`).toContainEqual(settled(hashTree(plugin)));
        const next = await flyteTask(plugin, "regenerate");
        expect(next.status, `regenerate after the kill at ${where}: ${next.stderr}`).toBe(0);
        // Rolled forward, not undone and redone: the finished change leaves nothing to regenerate.
        if (pastCommit) expect(next.stdout, `regenerate after the kill at ${where}`).toContain("Already in sync.");
        expect(hashTree(plugin), `tree after the kill at ${where} and a regenerate`).toEqual(expectedNew);
        expect((await flyteTask(plugin, "check")).status).toBe(0);
        if (n > 200) throw new Error(`the run never completed with ${syscalls}`);
      }
    }
    console.log(`kill test: ${kills} kill points (${committed} past the commit point), each followed by regenerate and check`);
    expect(committed).toBeGreaterThan(0);
    expect(kills).toBeGreaterThan(committed);
  });
});
