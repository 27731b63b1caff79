/**
 * The next steps create-flyte-task prints, run literally, in order, in one fresh shell from the
 * folder it ran in: the venv, pip and the plugin's tests, npm install, and `npx flyte-task
 * check`. The one change to the plugin first: its package.json names this checkout's packed
 * tarball instead of the registry's create-flyte-task (this version is not published).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { run } from "../support/cli.js";
import { REPO_ROOT } from "../support/python-env.js";

it("runs the printed next steps as they are printed", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "cft-next-"));
  const created = await run(process.execPath, [join(REPO_ROOT, "bin", "create-flyte-task.js"), "acme", "--yes", "--no-git", "--field", "uri:str"], {
    cwd,
    env: { npm_config_user_agent: "npm/11.0.0 node/v20.20.2 linux x64 workspaces/false" },
  });
  expect(created.status, created.stderr).toBe(0);
  const steps = created.stdout.slice(created.stdout.indexOf("Next:") + "Next:".length).trim().split("\n").map((line) => line.trim());
  expect(steps.length).toBeGreaterThanOrEqual(4);

  const packed = await run("npm", ["pack", "--pack-destination", cwd, "--silent"], { cwd: REPO_ROOT });
  expect(packed.status, packed.stderr).toBe(0);
  const manifest = join(cwd, "acme", "package.json");
  const data = JSON.parse(readFileSync(manifest, "utf8")) as { devDependencies: Record<string, string> };
  data.devDependencies["create-flyte-task"] = `file:${join(cwd, packed.stdout.trim().split("\n").at(-1)!)}`;
  writeFileSync(manifest, `${JSON.stringify(data, null, 2)}\n`);

  const script = ["set -e", ...steps].join("\n");
  const shell = await run("bash", ["-c", script], { cwd, env: { npm_config_yes: "true", npm_config_audit: "false", npm_config_fund: "false" } });
  expect(shell.status, `${script}\n${shell.stdout}\n${shell.stderr}`).toBe(0);
  expect(shell.stdout).toMatch(/\d+ passed/);
  expect(shell.stdout).toContain("In sync with flyte-task.config.ts.");
});
