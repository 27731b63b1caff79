/** The exit code of a cancel: 130, except where npm runs this very tool and would add its own error lines. */
import { describe, expect, it } from "vitest";
import { exitCodeOfCancel } from "../../src/cancel.js";

describe("exitCodeOfCancel", () => {
  it.each([
    ["run directly", {}, 130],
    ["npm init flyte-task", { npm_lifecycle_event: "npx", npm_lifecycle_script: "'create-flyte-task'" }, 0],
    ["npx create-flyte-task by path", { npm_lifecycle_event: "npx", npm_lifecycle_script: "/tmp/x/node_modules/.bin/create-flyte-task --yes" }, 0],
    ["a child of npx vitest", { npm_lifecycle_event: "npx", npm_lifecycle_script: "vitest" }, 130],
    ["a child of npm test", { npm_lifecycle_event: "test", npm_lifecycle_script: "create-flyte-task" }, 130],
  ])("%s: %d", (_name, env, code) => {
    expect(exitCodeOfCancel(env)).toBe(code);
  });
});
