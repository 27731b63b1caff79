/**
 * One writer at a time: every writing command holds `.flyte-task/lock`; a second one stops at
 * once with exit 1 naming the holder, and a lock whose process is dead is taken over.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runBin } from "../support/cli.js";
import { addFieldByHand, copyPlugin, flyteTask, hashTree, smallPlugin, tempDir } from "../support/tree.js";

const PAIRS = 50;

describe("one writer at a time", () => {
  let work = "";
  let old = "";
  let expectedNew: Record<string, string> = {};

  beforeAll(async () => {
    work = tempDir("cft-lock-");
    old = await smallPlugin(work);
    writeFileSync(join(old, "flyte-task.config.ts"), addFieldByHand(readFileSync(join(old, "flyte-task.config.ts"), "utf8")));
    const reference = copyPlugin(old, join(work, "reference"));
    expect((await flyteTask(reference, "regenerate")).status).toBe(0);
    expectedNew = hashTree(reference);
  });

  it(`${PAIRS} pairs of regenerate run at once end in exactly the new tree, and check agrees`, async () => {
    let locked = 0;
    for (let pair = 0; pair < PAIRS; pair++) {
      const plugin = copyPlugin(old, join(work, `pair-${pair}`));
      const runs = await Promise.all([flyteTask(plugin, "regenerate"), flyteTask(plugin, "regenerate")]);
      for (const run of runs) {
        if (run.status === 1) {
          expect(run.stderr).toMatch(/^error: another flyte-task \(pid \d+\) is changing this plugin/);
          expect(run.stderr.trim().split("\n")).toHaveLength(1);
          locked++;
        } else {
          expect(run.status, run.stderr).toBe(0);
        }
      }
      expect(runs.some((run) => run.status === 0)).toBe(true);
      expect(hashTree(plugin), `pair ${pair}`).toEqual(expectedNew);
      const check = await flyteTask(plugin, "check");
      expect(check.status, check.stderr).toBe(0);
    }
    console.log(`concurrency: ${PAIRS} pairs of regenerate, ${locked} runs refused by the lock, every tree exactly the new one`);
  });

  it("refuses a second writer while the first holds the lock, and check still reads", async () => {
    const plugin = copyPlugin(old, join(work, "held"));
    // A live process that is not flyte-task holds the lock: its pid is all that counts.
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(plugin, ".flyte-task/lock"), `${holder.pid}\n`);
      const before = hashTree(plugin);
      for (const args of [["regenerate"], ["field", "add", "timeout:float=1.5"], ["field", "remove", "uri"]]) {
        const run = await flyteTask(plugin, ...args);
        expect(run.status, args.join(" ")).toBe(1);
        expect(run.stderr).toBe(`error: another flyte-task (pid ${holder.pid}) is changing this plugin; run this again when it has finished (if pid ${holder.pid} is not flyte-task, remove .flyte-task/lock)\n`);
      }
      const create = await runBin("create-flyte-task", ["held", "--yes", "--no-git", "--force"], work);
      expect(create.status, "create --force into the plugin").toBe(1);
      expect(create.stderr).toContain(`another flyte-task (pid ${holder.pid}) is changing this plugin`);
      expect((await flyteTask(plugin, "check")).status).toBe(1); // out of sync, but it reads
      expect(hashTree(plugin)).toEqual(before);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("takes over a lock left by a dead process", async () => {
    const plugin = copyPlugin(old, join(work, "stale"));
    const dead = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    await new Promise((resolve) => dead.once("exit", resolve));
    writeFileSync(join(plugin, ".flyte-task/lock"), `${dead.pid}\n`);
    const run = await flyteTask(plugin, "regenerate");
    expect(run.status, run.stderr).toBe(0);
    expect(hashTree(plugin)).toEqual(expectedNew);
    expect(existsSync(join(plugin, ".flyte-task/lock"))).toBe(false);
  });

  it("refuses a .flyte-task that is a symlink out of the plugin (exit 2), writing nothing there", async () => {
    const plugin = copyPlugin(old, join(work, "linked-state"));
    const outside = join(work, "outside-state");
    mkdirSync(outside);
    const { renameSync, symlinkSync } = await import("node:fs");
    renameSync(join(plugin, ".flyte-task"), join(outside, "moved"));
    symlinkSync(join(outside, "moved"), join(plugin, ".flyte-task"));
    const before = hashTree(outside);
    const run = await flyteTask(plugin, "regenerate");
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(hashTree(outside)).toEqual(before);
  });
});
