/**
 * Fuzz-style properties for issue 8 point 6: malformed and huge flag values and config texts,
 * fed to the built bins. Each run must end (no hang: a timeout kills it) with exit 0, 1 or 2,
 * never a stack trace, and a refusal (exit 2) is exactly one stderr line with nothing written.
 * CI fixes the seed (FC_SEED replays any); the seed is printed and is in the test's name.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/python-env.js";
import { copyPlugin, hashTree, smallPlugin, tempDir } from "./support/tree.js";

const FIXED_SEED = 20261129;
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? FIXED_SEED : Math.floor(Math.random() * 0x7fffffff);
const RUNS = Number(process.env.FC_RUNS ?? 25);
const TIMEOUT_MS = 20_000;

interface Outcome {
  readonly status: number | null;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a bin with a deadline: a hang is killed (by its own pid) and reported, not waited on. */
function runWithTimeout(bin: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, "bin", `${bin}.js`), ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, TIMEOUT_MS);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, timedOut });
    });
  });
}

function expectWellBehaved(outcome: Outcome, before: unknown, after: () => unknown): void {
  expect(outcome.timedOut, "the command hung").toBe(false);
  expect([0, 1, 2], outcome.stderr).toContain(outcome.status);
  expect(outcome.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(outcome.stderr).not.toContain("Maximum call stack");
  if (outcome.status === 2) {
    expect(outcome.stderr.trimEnd().split("\n"), outcome.stderr).toHaveLength(1);
    expect(after()).toEqual(before);
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile pieces of text, mixed with ordinary ones so that rules deeper in are reached too.

const nested = fc.integer({ min: 1, max: 30_000 }).chain((depth) => fc.constantFrom("[".repeat(depth), `${"[".repeat(depth)}${"]".repeat(depth)}`, `${"{\"a\": ".repeat(depth)}1${"}".repeat(depth)}`));
const bigNumber = fc.oneof(
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.constantFrom("1e999", "-1e999", "9223372036854775808", "9007199254740993", "0x7fffffffffffffffff", "1e-400", "NaN", "Infinity"),
);
const oddText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("\u202e", "\u200f", "\u2066", "`", "*", "<", "|", "[", "#", "\n", "\0", "\\", '"', "'"),
  fc.integer({ min: 4000, max: 20_000 }).map((size) => "x".repeat(size)),
);
const piece = fc.oneof(nested, bigNumber, oddText, fc.constantFrom("str", "int", "float", "bool", "list[int]", "dict[str,int]", "json", "a", "b"));
const defaultText = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(""));
const fieldSpec = fc.tuple(fc.constantFrom("a", "b", "x1", "", "1a", "_a", "class"), fc.constantFrom("str", "int", "float", "bool", "list[int]", "list[str]", "dict[str,float]", "json", "tuple"), fc.option(defaultText))
  .map(([name, type, value]) => (value === null ? `${name}:${type}` : `${name}:${type}=${value}`));

const createArgs = fc.tuple(
  fc.array(fieldSpec, { maxLength: 3 }),
  fc.option(fc.constantFrom("sqlite", "postgres")),
  fc.option(fc.oneof(fc.constantFrom("generic", "sql"), oddText)),
  fc.option(fc.oneof(fc.constantFrom("result:str", "n:int"), oddText)),
  fc.option(fc.tuple(fc.constantFrom("a", "b"), oddText).map(([name, text]) => `${name}=${text}`)),
).map(([fields, example, kind, output, description]) => [
  ...fields.flatMap((spec) => ["--field", spec]),
  ...(example === null ? [] : ["--example", example]),
  ...(kind === null ? [] : ["--kind", kind]),
  ...(output === null ? [] : ["--output", output]),
  ...(description === null ? [] : ["--description", description]),
  // argv cannot hold NUL (the kernel ends a C string there) nor one argument over 128 KB.
].map((arg) => arg.replaceAll("\0", "").slice(0, 100_000)));

/** A config text edit: a hostile piece inserted at a position, or a line given twice. */
const configEdit: fc.Arbitrary<ConfigEdit> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), piece).map(([at, text]) => ({ kind: "insert" as const, at, text })),
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: "duplicate" as const, at })),
  bigNumber.map((text) => ({ kind: "default" as const, text })),
);

type ConfigEdit = { readonly kind: "insert"; readonly at: number; readonly text: string } | { readonly kind: "duplicate"; readonly at: number } | { readonly kind: "default"; readonly text: string };

function applyEdit(config: string, edit: ConfigEdit): string {
  if (edit.kind === "default") return config.replace(/(fields: \{\r?\n)/, `$1    big: { type: "int", default: ${edit.text} },\n`);
  if (edit.kind === "insert") {
    const offset = Math.floor(edit.at * config.length);
    return config.slice(0, offset) + edit.text + config.slice(offset);
  }
  const lines = config.split("\n");
  const index = Math.floor(edit.at * (lines.length - 1));
  lines.splice(index, 0, lines[index]!);
  return lines.join("\n");
}

let pristine: string;
let config: string;

beforeAll(async () => {
  pristine = await smallPlugin(tempDir("cft-fuzz-"), "acme", ["uri:str", "retries:int=3"]);
  config = readFileSync(join(pristine, "flyte-task.config.ts"), "utf8");
});

describe(`hostile input, fuzzed (seed ${SEED}, ${RUNS} runs each)`, () => {
  it("create-flyte-task: flag values", async () => {
    console.log(`fuzz-input: seed ${SEED}, ${RUNS} runs (replay with FC_SEED=${SEED})`);
    const cwd = tempDir("cft-fuzz-create-");
    await fc.assert(
      fc.asyncProperty(createArgs, async (args) => {
        const before = hashTree(cwd);
        const outcome = await runWithTimeout("create-flyte-task", ["plug", "--yes", "--no-git", "--dry-run", ...args], cwd);
        expectWellBehaved(outcome, before, () => hashTree(cwd));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("flyte-task: config texts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(configEdit, { minLength: 1, maxLength: 3 }), fc.constantFrom(["check"], ["regenerate"], ["regenerate", "--dry-run"]), async (edits, command) => {
        const plugin = copyPlugin(pristine, join(tempDir("cft-fuzz-sync-"), "acme"));
        writeFileSync(join(plugin, "flyte-task.config.ts"), edits.reduce(applyEdit, config));
        const before = hashTree(plugin);
        const outcome = await runWithTimeout("flyte-task", command, plugin);
        expectWellBehaved(outcome, before, () => hashTree(plugin));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
