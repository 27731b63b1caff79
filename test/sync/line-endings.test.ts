/**
 * Line endings and BOMs are kept per file. A plugin checked out in CRLF (git's core.autocrlf),
 * with BOMs on some files, goes through regenerate and each field command exactly as its LF twin
 * does: the same merges, no conflict, and every file keeps its own endings and BOM; the base
 * copies in .flyte-task/base stay LF.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addFieldByHand, copyPlugin, flyteTask, smallPlugin, tempDir } from "../support/tree.js";
import { readdirSync, lstatSync } from "node:fs";

const BOM = "\uFEFF";
const WITH_BOM = new Set(["flyte-task.config.ts", "README.md", "flytekitplugins/acme/task.py"]);

function files(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).filter((path) => lstatSync(join(root, path)).isFile()).sort();
}

function userFiles(root: string): string[] {
  return files(root).filter((path) => !path.startsWith(".flyte-task"));
}

function toCrlf(root: string): void {
  for (const path of userFiles(root)) {
    const text = readFileSync(join(root, path), "utf8").replace(/\n/g, "\r\n");
    writeFileSync(join(root, path), WITH_BOM.has(path) ? `${BOM}${text}` : text);
  }
}

function edit(root: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(root, path), change(readFileSync(join(root, path), "utf8")));
}

/** Each file of the CRLF twin: CRLF only, its BOM if it had one, and the LF twin's text otherwise. */
function expectTwins(crlf: string, lf: string, step: string): void {
  expect(userFiles(crlf), step).toEqual(userFiles(lf));
  for (const path of userFiles(lf)) {
    const text = readFileSync(join(crlf, path), "utf8");
    const what = `${step}: ${path}`;
    expect(text.replace(/\r\n/g, ""), what).not.toContain("\n");
    expect(text.startsWith(BOM), what).toBe(WITH_BOM.has(path));
    expect(text.replace(BOM, "").replace(/\r\n/g, "\n"), what).toBe(readFileSync(join(lf, path), "utf8"));
  }
  for (const path of files(join(crlf, ".flyte-task"))) {
    const text = readFileSync(join(crlf, ".flyte-task", path), "utf8");
    expect(text.includes("\r") || text.startsWith(BOM), `${step}: .flyte-task/${path} stays LF`).toBe(false);
  }
}

describe("line endings and BOMs", () => {
  let lf = "";
  let crlf = "";

  beforeAll(async () => {
    const work = tempDir("cft-eol-");
    lf = await smallPlugin(work);
    // The user's own edits, which every merge below must keep.
    edit(lf, "README.md", (text) => `${text}\n## My notes\n\nRun it nightly.\n`);
    edit(lf, "flytekitplugins/acme/task.py", (text) => `# Reviewed by the data team.\n${text}`);
    crlf = copyPlugin(lf, join(work, "crlf"));
    toCrlf(crlf);
  });

  const steps: readonly (readonly string[])[] = [
    ["field", "add", "retries:int=3", "--description", "How many times to retry"],
    ["field", "rename", "retries", "attempts"],
    ["field", "retype", "attempts", "float"],
    ["field", "remove", "attempts"],
  ];

  for (const step of steps) {
    it(`${step.slice(0, 2).join(" ")} merges a CRLF/BOM plugin as cleanly as its LF twin`, async () => {
      const [inLf, inCrlf] = [await flyteTask(lf, ...step), await flyteTask(crlf, ...step)];
      expect(inLf.status, inLf.stderr).toBe(0);
      expect(inCrlf.status, inCrlf.stderr).toBe(0);
      expect(inCrlf.stdout).toBe(inLf.stdout);
      expect(inCrlf.stdout).not.toContain("conflict");
      expectTwins(crlf, lf, step.join(" "));
      expect((await flyteTask(crlf, "check")).status).toBe(0);
    });
  }

  it("regenerate after a hand edit of the config keeps each file's endings", async () => {
    for (const root of [lf, crlf]) edit(root, "flyte-task.config.ts", (text) => addFieldByHand(text, 'region: { type: "str", default: "eu" },'));
    const [inLf, inCrlf] = [await flyteTask(lf, "regenerate"), await flyteTask(crlf, "regenerate")];
    expect(inLf.status, inLf.stderr).toBe(0);
    expect(inCrlf.status, inCrlf.stderr).toBe(0);
    expect(inCrlf.stdout).toBe(inLf.stdout);
    expectTwins(crlf, lf, "regenerate");
    expect((await flyteTask(crlf, "regenerate")).stdout).toContain("Already in sync.");
  });
});
