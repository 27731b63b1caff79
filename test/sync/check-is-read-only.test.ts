/**
 * `check` and every `--dry-run` only read: an interrupted change (a regenerate killed past its
 * commit point) makes them stop with exit 1 and point to `regenerate`, changing no byte; the
 * `regenerate` then completes it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../support/cli.js";
import { REPO_ROOT } from "../support/python-env.js";
import { addFieldByHand, copyPlugin, flyteTask, hashTree, smallPlugin, tempDir } from "../support/tree.js";

describe("check and --dry-run are read-only", () => {
  it("an interrupted change makes them exit 1 and say to run regenerate, which completes it", async () => {
    const work = tempDir("cft-readonly-");
    const plugin = await smallPlugin(work);
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(readFileSync(join(plugin, "flyte-task.config.ts"), "utf8")));
    const reference = copyPlugin(plugin, join(work, "reference"));
    expect((await flyteTask(reference, "regenerate")).status).toBe(0);
    // Killed at its third rename: the journal is in place (committed) and one file was moved.
    const killed = await run("strace", ["-f", "-qq", "-o", "/dev/null", "-e", "inject=rename:signal=SIGKILL:when=3", process.execPath, join(REPO_ROOT, "bin", "flyte-task.js"), "regenerate"], { cwd: plugin });
    expect(killed.status).toBeNull();
    expect(existsSync(join(plugin, ".flyte-task/txn/journal.json"))).toBe(true);
    const interrupted = hashTree(plugin);
    for (const args of [["check"], ["check", "--diff"], ["regenerate", "--dry-run"], ["field", "add", "timeout:float=1.5", "--dry-run"]]) {
      const result = await flyteTask(plugin, ...args);
      expect(result.status, args.join(" ")).toBe(1);
      expect(result.stderr).toContain("an interrupted change is waiting in .flyte-task/txn: run `npx flyte-task regenerate` to complete it");
      expect(hashTree(plugin), args.join(" ")).toEqual(interrupted);
    }
    const finished = await flyteTask(plugin, "regenerate");
    expect(finished.status, finished.stderr).toBe(0);
    expect(hashTree(plugin)).toEqual(hashTree(reference));
    expect((await flyteTask(plugin, "check")).status).toBe(0);
  });

  it("check changes no byte of a plugin out of sync, with a stale lock and a dry run alike", async () => {
    const work = tempDir("cft-readonly-");
    const plugin = await smallPlugin(work);
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(readFileSync(join(plugin, "flyte-task.config.ts"), "utf8")));
    writeFileSync(join(plugin, ".flyte-task/lock"), "999999999\n");
    const before = hashTree(plugin);
    expect((await flyteTask(plugin, "check")).status).toBe(1);
    expect((await flyteTask(plugin, "regenerate", "--dry-run")).status).toBe(0);
    expect((await flyteTask(plugin, "field", "remove", "uri", "--dry-run")).status).toBe(0);
    expect(hashTree(plugin)).toEqual(before);
  });
});
