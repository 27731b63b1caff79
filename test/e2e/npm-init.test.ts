/**
 * The path a user takes, through a registry (pnpm's too, at the end): the packed tool is published to a local Verdaccio,
 * `npm init flyte-task` resolves, installs and runs it, the plugin's own tests pass against real
 * flytekit, and the next steps it prints for npm run as printed: `npm install` gets the pinned
 * tool from the registry, and `npx flyte-task check` finds the plugin in sync.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../support/cli.js";
import { passedCount, pytest, workDir } from "../support/plugin.js";
import { REPO_ROOT } from "../support/python-env.js";
import { PNPM, startRegistry, type Registry } from "../support/registry.js";
import { CTRL_C, inTerminal } from "../support/terminal.js";

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

let registry: Registry | undefined;
let cwd: string;

beforeAll(async () => {
  registry = await startRegistry((line) => process.stderr.write(`${line}\n`));
  cwd = workDir("cft-npm-init-");
  const pack = await run("npm", ["pack", "--pack-destination", cwd, "--silent"], { cwd: REPO_ROOT, env: registry.env });
  expect(pack.status, pack.stderr).toBe(0);
  const tarball = join(cwd, pack.stdout.trim().split("\n").at(-1)!);
  const publish = await run("npm", ["publish", tarball], { cwd, env: registry.env });
  expect(publish.status, publish.stderr).toBe(0);
}, 300_000);

afterAll(() => registry?.stop());

describe("npm init flyte-task", () => {
  it("scaffolds from the registry a plugin whose tests pass, and whose next steps run as printed", async () => {
    const env = registry!.env;
    const init = await run("npm", ["init", `flyte-task@${VERSION}`, "acme-query", "--yes", "--", "--yes", "--no-git", "--field", "uri:str", "--field", "retries:int=3"], { cwd, env });
    expect(init.status, `${init.stdout}\n${init.stderr}`).toBe(0);
    expect(init.stdout).toContain("Created acme-query");
    const plugin = join(cwd, "acme-query");
    const tests = await pytest(plugin);
    expect(tests.status, tests.output).toBe(0);
    expect(passedCount(tests)).toBeGreaterThanOrEqual(15);

    // The npm lines of the next steps, as printed for an npm user.
    const next = init.stdout.slice(init.stdout.indexOf("Next:"));
    expect(next).toMatch(/^ {2}npm install\b/m);
    expect(next).toMatch(/^ {2}npx flyte-task check$/m);
    const install = await run("npm", ["install", "--no-audit", "--no-fund"], { cwd: plugin, env });
    expect(install.status, install.stderr).toBe(0);
    const installed = JSON.parse(readFileSync(join(plugin, "node_modules", "create-flyte-task", "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(VERSION);
    const check = await run("npx", ["flyte-task", "check"], { cwd: plugin, env });
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain("In sync with flyte-task.config.ts.");
  });

  // In a terminal: Ctrl-C at the first question. npm follows a non-zero exit of the tool with
  // five "npm error" lines; create-vite's cancel exits 0, and so does this one under npm init.
  it("cancels with Ctrl-C at a question in one line, without npm's error lines, and writes nothing", async () => {
    const terminal = await inTerminal(["npm", "init", `flyte-task@${VERSION}`, "cancelled-plugin"], cwd, [{ expect: "Plugin name", send: CTRL_C }], registry!.env);
    expect(terminal.timedOut, terminal.output).toBeNull();
    expect(terminal.exit, terminal.output).toBe(0);
    expect(terminal.output).toMatch(/\nCancelled\.\r?\n/);
    expect(terminal.output).not.toContain("npm error");
    expect(existsSync(join(cwd, "cancelled-plugin"))).toBe(false);
  });
});

describe("pnpm create flyte-task", () => {
  it("scaffolds from the registry, its next steps run as printed, and Ctrl-C at a question is one line", async () => {
    const env = registry!.env;
    const create = await run(PNPM, ["create", `flyte-task@${VERSION}`, "pnpm-plugin", "--yes", "--no-git", "--field", "uri:str"], { cwd, env });
    expect(create.status, `${create.stdout}\n${create.stderr}`).toBe(0);
    const plugin = join(cwd, "pnpm-plugin");
    const next = create.stdout.slice(create.stdout.indexOf("Next:"));
    expect(next).toMatch(/^ {2}pnpm install\b/m);
    expect(next).toMatch(/^ {2}pnpm exec flyte-task check$/m);
    const install = await run(PNPM, ["install"], { cwd: plugin, env });
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    const check = await run(PNPM, ["exec", "flyte-task", "check"], { cwd: plugin, env });
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain("In sync with flyte-task.config.ts.");

    // pnpm adds nothing to a non-zero exit: the cancel keeps exit 130 here.
    const terminal = await inTerminal([PNPM, "create", `flyte-task@${VERSION}`, "cancelled-pnpm"], cwd, [{ expect: "Plugin name", send: CTRL_C }], env);
    expect(terminal.timedOut, terminal.output).toBeNull();
    expect(terminal.exit, terminal.output).toBe(130);
    expect(terminal.output.trim().split("\n").at(-1)!.trim()).toBe("Cancelled.");
    expect(existsSync(join(cwd, "cancelled-pnpm"))).toBe(false);
  });
});
