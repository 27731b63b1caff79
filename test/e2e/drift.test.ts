/**
 * What `check` and the dry runs call drift: only files of the plugin, never the tool's own
 * bookkeeping in .flyte-task/; and the counts a command prints match the files it lists.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runBin } from "../support/cli.js";
import { generate, workDir } from "../support/plugin.js";

const flyteTask = (plugin: string, ...args: string[]) => runBin("flyte-task", ["-C", plugin, ...args], plugin);

it("check passes after a tool upgrade that changes nothing of the user's, with a notice", async () => {
  const plugin = await generate(workDir("cft-drift-"), ["acme", "--field", "uri:str"]);
  const manifest = join(plugin, ".flyte-task", "manifest.json");
  // As a plugin made by an older create-flyte-task: another version and templates hash.
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/"version": "[^"]+"/, '"version": "0.0.9"').replace(/"templates": "[0-9a-f]+"/, `"templates": "${"0".repeat(64)}"`));
  const check = await flyteTask(plugin, "check", "--diff");
  expect(check.status, check.stderr).toBe(0);
  expect(check.stdout).toContain("would refresh its records in .flyte-task/");
  expect(check.stdout + check.stderr).not.toContain(".flyte-task/manifest.json");
  const dryRun = await flyteTask(plugin, "regenerate", "--dry-run");
  expect(dryRun.stdout).toBe("Nothing to change.\n");
});

it("dry runs and check --diff show only the plugin's files, and counts match what is listed", async () => {
  const plugin = await generate(workDir("cft-drift-"), ["acme", "--field", "uri:str"]);
  const config = join(plugin, "flyte-task.config.ts");
  writeFileSync(config, readFileSync(config, "utf8").replace("  fields: {\n", '  fields: {\n    region: { type: "str", default: "eu" },\n'));
  const check = await flyteTask(plugin, "check", "--diff");
  expect(check.status).toBe(1);
  const dryRun = await flyteTask(plugin, "regenerate", "--dry-run");
  for (const output of [check.stderr, dryRun.stdout]) {
    expect(output).toContain("+++ b/flytekitplugins/acme/config.py");
    expect(output).not.toMatch(/^(\+\+\+|---) [ab]\/\.flyte-task\//m);
  }
  const added = await flyteTask(plugin, "field", "add", "timeout:float=none");
  expect(added.status, added.stderr).toBe(0);
  const listed = added.stdout.split("\n").filter((line) => /^(edited|written|merged|created|removed) +\S/.test(line));
  expect(listed.some((line) => line.endsWith(" flyte-task.config.ts"))).toBe(true);
  expect(added.stdout).toContain(`Regenerated: ${listed.length} file(s) changed.`);
});
