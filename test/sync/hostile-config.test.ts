/**
 * Issue 8 point 6 for the sync commands: a broken flyte-task.config.ts or state file is named in
 * one line with exit 2, and the plugin's tree is byte-for-byte unchanged.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addFieldByHand, copyPlugin, flyteTask, hashTree, smallPlugin, tempDir } from "../support/tree.js";
import { expectOneLineRefusal } from "../support/cli.js";

let pristine: string;
let config: string;

beforeAll(async () => {
  pristine = await smallPlugin(tempDir("cft-hconf-"));
  config = readFileSync(join(pristine, "flyte-task.config.ts"), "utf8");
});

function freshCopy(): string {
  return copyPlugin(pristine, join(tempDir("cft-hconf-copy-"), "acme"));
}

async function expectRefused(plugin: string, fragments: readonly string[], command: readonly string[] = ["regenerate"]): Promise<void> {
  const before = hashTree(plugin);
  const result = await flyteTask(plugin, ...command);
  expectOneLineRefusal(result, fragments);
  expect(hashTree(plugin)).toEqual(before);
}

describe("a broken flyte-task.config.ts", () => {
  it("names the second of two equal field keys by file:line:col", async () => {
    const plugin = freshCopy();
    const text = addFieldByHand(addFieldByHand(config, 'dup: { type: "int" },'), 'dup: { type: "str" },');
    writeFileSync(join(plugin, "flyte-task.config.ts"), text);
    const secondLine = text.split("\n").findIndex((line, index, all) => line.includes("dup:") && all.slice(0, index).some((earlier) => earlier.includes("dup:"))) + 1;
    await expectRefused(plugin, [`flyte-task.config.ts:${secondLine}:5:`, 'key "dup" is given twice']);
  });

  it("refuses nesting 20,000 deep without a stack overflow", async () => {
    const plugin = freshCopy();
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config, `deep: { type: "list[int]", default: ${"[".repeat(20000)}${"]".repeat(20000)} },`));
    await expectRefused(plugin, ["flyte-task.config.ts:", "nested deeper than 64 levels"], ["check"]);
  });

  it.each([
    ["9223372036854775808", "outside 64 bits"],
    ["-9223372036854775809", "outside 64 bits"],
    ["9007199254740993", "cannot be kept exact"],
  ])("refuses the int %s", async (value, rule) => {
    const plugin = freshCopy();
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config, `big: { type: "int", default: ${value} },`));
    await expectRefused(plugin, [value, rule]);
  });

  it("refuses a float that overflows", async () => {
    const plugin = freshCopy();
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config, "huge: { type: \"float\", default: 1e999 },"));
    await expectRefused(plugin, ["1e999", "not a finite float"]);
  });

  it("refuses more than 500 fields", async () => {
    const plugin = freshCopy();
    const many = Array.from({ length: 501 }, (_, index) => `f${index}: { type: "int" },`).join("\n");
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config, many));
    await expectRefused(plugin, ["fields given", "at most 500"]);
  });

  it("refuses a config file over 1 MB, a folder, or binary", async () => {
    const big = freshCopy();
    writeFileSync(join(big, "flyte-task.config.ts"), `${config}//${"x".repeat(1024 * 1024)}\n`);
    await expectRefused(big, ["flyte-task.config.ts is", "at most 1048576 bytes"]);
    const folder = freshCopy();
    rmSync(join(folder, "flyte-task.config.ts"));
    mkdirSync(join(folder, "flyte-task.config.ts"));
    await expectRefused(folder, ["flyte-task.config.ts is a folder"]);
    const binary = freshCopy();
    writeFileSync(join(binary, "flyte-task.config.ts"), Buffer.from([0x00, 0xff, 0x13, 0x37]));
    await expectRefused(binary, ["flyte-task.config.ts is not UTF-8 text"]);
  });
});

describe("corrupt state named by path", () => {
  it("names a base copy that is a folder", async () => {
    const plugin = freshCopy();
    const base = join(plugin, ".flyte-task/base/README.md");
    rmSync(base);
    mkdirSync(base);
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config));
    await expectRefused(plugin, [".flyte-task/base/README.md is a folder", "git checkout"]);
  });

  it("names a base copy that cannot be read", async () => {
    if (process.getuid?.() === 0) return; // root reads any file: the mode cannot make it unreadable
    const plugin = freshCopy();
    chmodSync(join(plugin, ".flyte-task/base/README.md"), 0o000);
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config));
    await expectRefused(plugin, [".flyte-task/base/README.md cannot be read"]);
  });

  it("names a binary base copy", async () => {
    const plugin = freshCopy();
    writeFileSync(join(plugin, ".flyte-task/base/README.md"), Buffer.from([0x00, 0xc3, 0x28]));
    writeFileSync(join(plugin, "flyte-task.config.ts"), addFieldByHand(config));
    await expectRefused(plugin, [".flyte-task/base/README.md is not UTF-8 text"]);
  });

  it("names a manifest that is a folder or binary", async () => {
    const folder = freshCopy();
    rmSync(join(folder, ".flyte-task/manifest.json"));
    mkdirSync(join(folder, ".flyte-task/manifest.json"));
    await expectRefused(folder, [".flyte-task/manifest.json is a folder"], ["check"]);
    const binary = freshCopy();
    writeFileSync(join(binary, ".flyte-task/manifest.json"), Buffer.from([0x7b, 0x00, 0xff]));
    await expectRefused(binary, [".flyte-task/manifest.json is not UTF-8 text"]);
  });

  it("names a corrupt manifest", async () => {
    const plugin = freshCopy();
    writeFileSync(join(plugin, ".flyte-task/manifest.json"), "{ nope");
    await expectRefused(plugin, [".flyte-task/manifest.json", "is not valid JSON"]);
  });
});
