/**
 * `.flyte-task/` arrives through pull requests, so each hostile state the issue found is planted
 * here and every command is run on it: each must exit 2 with one line naming the file and the
 * entry, and no byte outside the plugin may change (the folder around it is hashed before and
 * after).
 */
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync, cpSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addFieldByHand, copyPlugin, flyteTask, hashTree, smallPlugin, tempDir } from "../support/tree.js";

interface Planted {
  readonly name: string;
  /** Plants the state in `plugin`, whose parent folder `box` holds the victims. */
  readonly plant: (plugin: string, box: string) => void;
  /** What the one error line must name. */
  readonly names: readonly string[];
  /** A symlink the user made inside the plugin may be read through; only writes are refused. */
  readonly onlyWritesRefused?: boolean;
}

function journal(plugin: string, entries: readonly unknown[], files: Record<string, string> = {}): void {
  const txn = join(plugin, ".flyte-task/txn");
  mkdirSync(join(txn, "old"), { recursive: true });
  mkdirSync(join(txn, "new"), { recursive: true });
  writeFileSync(join(txn, "journal.json"), JSON.stringify(entries));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(txn, path), content);
}

function manifestWith(plugin: string, path: string): void {
  const file = join(plugin, ".flyte-task/manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { files: Record<string, unknown> };
  manifest.files[path] = { owner: "user" };
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

const JOURNAL = ".flyte-task/txn/journal.json";

const PLANTED: readonly Planted[] = [
  {
    name: "a journal entry that restores a backup over ../victim.txt",
    plant: (plugin) => journal(plugin, [{ path: "../victim.txt", staged: null, backup: "0" }], { "old/0": "overwritten\n" }),
    names: [JOURNAL, '"../victim.txt"'],
  },
  {
    name: "a journal entry that deletes ../victim.txt (backup null)",
    plant: (plugin) => journal(plugin, [{ path: "../victim.txt", staged: null, backup: null }]),
    names: [JOURNAL, '"../victim.txt"'],
  },
  {
    name: "a journal entry that renames a staged file over ../victim.txt",
    plant: (plugin) => journal(plugin, [{ path: "../victim.txt", staged: "0", backup: null }], { "new/0": "overwritten\n" }),
    names: [JOURNAL, '"../victim.txt"'],
  },
  {
    name: "a journal entry with an absolute path",
    plant: (plugin, box) => journal(plugin, [{ path: join(box, "victim.txt"), staged: null, backup: null }]),
    names: [JOURNAL, "victim.txt"],
  },
  {
    name: "a journal entry whose staged name climbs out of txn/new",
    plant: (plugin) => journal(plugin, [{ path: "README.md", staged: "../../../../victim.txt", backup: null }]),
    names: [JOURNAL, '"README.md"', "../../../../victim.txt"],
  },
  {
    name: "a journal entry whose backup name climbs out of txn/old",
    plant: (plugin) => journal(plugin, [{ path: "README.md", staged: null, backup: "../../../../victim.txt" }]),
    names: [JOURNAL, '"README.md"', "../../../../victim.txt"],
  },
  {
    name: "a rollback journal entry that deletes ../victim.txt",
    plant: (plugin) => {
      journal(plugin, []);
      writeFileSync(join(plugin, ".flyte-task/txn/rollback.json"), JSON.stringify([{ path: "../victim.txt", staged: null, backup: null }]));
    },
    names: [".flyte-task/txn/rollback.json", '"../victim.txt"'],
  },
  {
    name: "a manifest entry ../escape.txt with an unchanged base copy",
    plant: (plugin) => {
      manifestWith(plugin, "../escape.txt");
      writeFileSync(join(plugin, ".flyte-task/escape.txt"), "escape\n");
    },
    names: [".flyte-task/manifest.json", '"../escape.txt"'],
  },
  {
    name: "a manifest entry with an absolute path",
    plant: (plugin, box) => manifestWith(plugin, join(box, "escape.txt")),
    names: [".flyte-task/manifest.json", "escape.txt"],
  },
  {
    name: "a .flyte-task/base that is a symlink to a folder outside",
    plant: (plugin, box) => {
      cpSync(join(plugin, ".flyte-task/base"), join(box, "outside-base"), { recursive: true });
      renameSync(join(plugin, ".flyte-task/base"), join(box, "old-base"));
      symlinkSync(join(box, "outside-base"), join(plugin, ".flyte-task/base"));
    },
    names: [".flyte-task/base", "symlink"],
  },
  {
    name: "a .flyte-task/txn that is a symlink to a folder outside holding a journal",
    plant: (plugin, box) => {
      mkdirSync(join(box, "outside-txn", "new"), { recursive: true });
      writeFileSync(join(box, "outside-txn", "journal.json"), JSON.stringify([{ path: "README.md", staged: null, backup: null }]));
      symlinkSync(join(box, "outside-txn"), join(plugin, ".flyte-task/txn"));
    },
    names: [".flyte-task/txn", "symlink"],
  },
  {
    name: "a .flyte-task that is a symlink to a folder outside",
    plant: (plugin, box) => {
      renameSync(join(plugin, ".flyte-task"), join(box, "outside-state"));
      symlinkSync(join(box, "outside-state"), join(plugin, ".flyte-task"));
    },
    names: [".flyte-task", "symlink"],
  },
  {
    name: "a folder of the plugin that is a symlink to a folder outside",
    plant: (plugin, box) => {
      cpSync(join(plugin, "tests"), join(box, "outside-tests"), { recursive: true });
      renameSync(join(plugin, "tests"), join(box, "old-tests"));
      symlinkSync(join(box, "outside-tests"), join(plugin, "tests"));
    },
    names: ["tests/", "symlink"],
    onlyWritesRefused: true,
  },
];

/** The writing commands and the read-only ones; each meets the planted state afresh. */
const COMMANDS: readonly (readonly string[])[] = [["check"], ["regenerate"], ["regenerate", "--dry-run"], ["field", "add", "timeout:float=1.5"], ["field", "add", "timeout:float=1.5", "--dry-run"]];

function outsideOf(box: string): Record<string, string> {
  return Object.fromEntries(Object.entries(hashTree(box)).filter(([path]) => path !== "plugin" && !path.startsWith("plugin/")));
}

describe("hostile state in .flyte-task/ and the plugin", () => {
  let pristine = "";
  let work = "";

  beforeAll(async () => {
    work = tempDir("cft-hostile-");
    pristine = await smallPlugin(work);
    // An edited config, so every command has real work (merges, base copies) to do.
    writeFileSync(join(pristine, "flyte-task.config.ts"), addFieldByHand(readFileSync(join(pristine, "flyte-task.config.ts"), "utf8")));
  });

  let trials = 0;
  for (const planted of PLANTED) {
    it(`${planted.name}: exit 2, one line, nothing outside changes`, async () => {
      for (const command of COMMANDS) {
        const box = tempDir("cft-box-");
        const plugin = copyPlugin(pristine, join(box, "plugin"));
        writeFileSync(join(box, "victim.txt"), "victim\n");
        writeFileSync(join(box, "escape.txt"), "escape\n");
        planted.plant(plugin, box);
        const before = outsideOf(box);
        const run = await flyteTask(plugin, ...command);
        const what = `${command.join(" ")}: ${run.stderr}`;
        trials++;
        expect(outsideOf(box), what).toEqual(before);
        if (planted.onlyWritesRefused && (command[0] === "check" || command.includes("--dry-run"))) continue;
        expect(run.status, what).toBe(2);
        expect(run.stderr.trim().split("\n"), what).toHaveLength(1);
        for (const name of planted.names) expect(run.stderr, what).toContain(name);
      }
    });
  }

  it("counts the trials", () => {
    console.log(`planted states: ${PLANTED.length} states x ${COMMANDS.length} commands = ${trials} trials, nothing outside changed, every write refused with exit 2`);
    expect(trials).toBe(PLANTED.length * COMMANDS.length);
  });
});
