/**
 * Issue 8 point 6 through the built bin: hostile or broken input gets exit 2, one stderr line
 * naming the value and the rule, nothing written, and no hang.
 */
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { expectOneLineRefusal, runBin } from "./support/cli.js";

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "cft-hostile-"));
});

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

async function expectRefused(args: readonly string[], ...fragments: string[]): Promise<void> {
  const before = listing(cwd);
  const result = await runBin("create-flyte-task", ["--no-git", ...args], cwd);
  expectOneLineRefusal(result, fragments);
  expect(listing(cwd)).toEqual(before);
}

// Found by the fuzz property (seed 735169583): a line break inside a quoted value split the error in two.
it("keeps the error one line when the value holds a line break", async () => {
  await expectRefused(["acme", "--description", "a=\n"], '--description "a=\\n"');
});

describe("conflicting flags", () => {
  it.each([
    [["--field", "a:str"], "--field"],
    [["--kind", "sql"], "--kind"],
    [["--output", "n:int"], "--output"],
  ])("refuses --example sqlite with %j", async (flags, named) => {
    await expectRefused(["plug", "--yes", "--example", "sqlite", ...flags], '--example "sqlite" cannot be combined with', named);
  });
});

describe("numbers", () => {
  it.each([
    ["a:int=9223372036854775808", "9223372036854775808", "outside 64 bits"],
    ["a:int=-9223372036854775809", "-9223372036854775809", "outside 64 bits"],
    ["a:int=9007199254740993", "9007199254740993", "cannot be kept exact"],
    ["a:list[int]=[1, 99999999999999999999]", "99999999999999999999", "outside 64 bits"],
    ["a:float=1e999", "1e999", "not a finite float"],
    ["a:float=-1e400", "-1e400", "not a finite float"],
  ])("refuses %s", async (spec, value, rule) => {
    await expectRefused(["plug", "--yes", "--field", spec], value, rule);
  });

  it("keeps the largest exact int", async () => {
    const result = await runBin("create-flyte-task", ["plug", "--yes", "--dry-run", "--field", "a:int=9007199254740991"], cwd);
    expect(result.status, result.stderr).toBe(0);
  });
});

describe("nesting and sizes", () => {
  it("refuses a default nested 20,000 deep in one line", async () => {
    await expectRefused(["plug", "--yes", "--field", `a:list[int]=${"[".repeat(20000)}`], "nested deeper than 64 levels");
  });

  it("refuses more than 500 fields", async () => {
    const fields = Array.from({ length: 501 }, (_, index) => ["--field", `f${index}:int`]).flat();
    await expectRefused(["plug", "--yes", ...fields], "501 fields given", "at most 500");
  });

  it("refuses a description or string default over 4 KB", async () => {
    const big = "x".repeat(4097);
    await expectRefused(["plug", "--yes", "--field", "a:str", "--description", `a=${big}`], "description is 4097 bytes", "at most 4096");
    await expectRefused(["plug", "--yes", "--field", `a:str=${big}`], "4097 bytes", "at most 4096");
  });

  it("refuses a 50 MB answers file by its size, fast", async () => {
    const path = join(cwd, "huge.json");
    const fd = openSync(path, "w");
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const started = Date.now();
    await expectRefused(["plug", "--yes", "--answers", "huge.json"], 'answers file "huge.json"', "at most 1048576 bytes");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses an answers file that is a folder or binary", async () => {
    mkdirSync(join(cwd, "dir.json"));
    writeFileSync(join(cwd, "bin.json"), Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]));
    await expectRefused(["plug", "--yes", "--answers", "dir.json"], 'answers file "dir.json" is a folder');
    await expectRefused(["plug", "--yes", "--answers", "bin.json"], 'answers file "bin.json" is not UTF-8 text');
  });
});

describe("unusable targets", () => {
  it("refuses a target under /proc at once", async () => {
    const started = Date.now();
    await expectRefused(["/proc/plug", "--yes"], '"/proc/plug"', "pseudo file system");
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it("refuses a target whose parent is a file", async () => {
    writeFileSync(join(cwd, "afile"), "keep");
    await expectRefused(["afile/plug", "--yes"], "afile/plug", "under a file");
    await expectRefused(["afile/deeper/plug", "--yes"], "afile/deeper/plug", "under a file");
  });

  it("refuses a target whose nearest folder is not writable", async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere: the mode cannot refuse it
    mkdirSync(join(cwd, "locked"), { mode: 0o555 });
    await expectRefused(["locked/plug", "--yes"], "locked/plug", "is not writable");
  });

  it("refuses a dangling symlink target", async () => {
    symlinkSync(join(cwd, "nowhere"), join(cwd, "dangling"));
    await expectRefused(["dangling", "--yes"], "dangling", "symlink to nothing");
  });
});
