/**
 * Issue 8 point 8 through the bin: `field rename` rewrites only what is provably the plugin's
 * config, and lists every other use with file:line.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { flyteTask, smallPlugin, tempDir } from "../support/tree.js";

it("leaves db_config.retries in an unrelated function and lists it", async () => {
  const plugin = await smallPlugin(tempDir("cft-rename-"), "acme", ["uri:str", "retries:int=3"]);
  const executor = join(plugin, "flytekitplugins/acme/executor.py");
  appendFileSync(executor, `\n\ndef connect(db_config):\n    return db_config.retries\n\n\ndef budget(cfg: AcmeConfig):\n    return cfg.retries * 2\n`);
  const lines = readFileSync(executor, "utf8").split("\n");
  const dbLine = lines.indexOf("    return db_config.retries") + 1;
  const result = await flyteTask(plugin, "field", "rename", "retries", "attempts");
  expect(result.status, result.stderr + result.stdout).toBe(0);
  const after = readFileSync(executor, "utf8");
  expect(after).toContain("    return db_config.retries\n");
  expect(after).toContain("    return cfg.attempts * 2\n");
  expect(result.stdout).toContain(`flytekitplugins/acme/executor.py:${dbLine}: "retries" not rewritten: return db_config.retries`);
});
