/**
 * The Yeoman generator run through yeoman-test, as `yo code`'s tests do: prompts answered by
 * a script, files checked where the generator wrote them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import helpers from "yeoman-test";
import { describe, expect, it } from "vitest";
import FlyteTaskGenerator, { type AppOptions } from "../generators/app/index.js";
import type { CreateOptions } from "../src/create.js";

const UNATTENDED: CreateOptions = { dryRun: false, force: false, install: false, git: false };

/** Answers each prompt by its name from a queue, so the field loop can be scripted. */
function scripted(answers: Record<string, unknown[]>) {
  return (_default: unknown, { question }: { question: { name: string } }) => {
    const queue = answers[question.name];
    if (queue === undefined || queue.length === 0) throw new Error(`no scripted answer for "${question.name}"`);
    return queue.shift();
  };
}

async function runGenerator(options: Partial<AppOptions>, answers: Record<string, unknown[]> = {}) {
  const context = helpers
    .run(FlyteTaskGenerator)
    .withOptions({ answers: {}, create: UNATTENDED, interactive: false, ...options } as AppOptions)
    .withAnswers({}, { callback: scripted(answers) });
  const result = await context;
  return { cwd: result.cwd, read: (path: string) => readFileSync(join(result.cwd, path), "utf8") };
}

describe("the app generator", () => {
  it("asks for every answer a flag did not give, fields in a loop", async () => {
    const { cwd, read } = await runGenerator(
      { interactive: true, answers: { image: "ghcr.io/acme/query:1.0" } },
      {
        directory: ["acme-query"],
        name: ["acme-query"],
        kind: ["generic"],
        taskType: ["acme_query_v2"],
        output: ["rows:int report:file"],
        addField: [true, true, false],
        fieldName: ["uri", "retries"],
        fieldType: ["str", "int"],
        fieldDefault: ["", "3"],
        fieldDescription: ["Where the service is.", ""],
      },
    );
    const config = read("acme-query/flyte-task.config.ts");
    expect(config).toContain('taskType: "acme_query_v2"');
    expect(config).toContain('image: "ghcr.io/acme/query:1.0"');
    expect(config).toContain('outputs: {\n    rows: { type: "int" },\n    report: { type: "file" },\n  },');
    expect(config).toContain('uri: { type: "str", description: "Where the service is." }');
    expect(config).toContain('retries: { type: "int", default: 3 }');
    const python = read("acme-query/flytekitplugins/acme_query/config.py");
    expect(python).toContain("class AcmeQueryConfig:");
    expect(python).toContain("    retries: int = 3\n");
    expect(python).toContain("    rows: int\n    report: FlyteFile\n");
    expect(existsSync(join(cwd, "acme-query", ".flyte-task", "base", "README.md"))).toBe(true);
  });

  it("asks nothing when unattended", async () => {
    const { read } = await runGenerator({ answers: { directory: "billing", fields: [{ name: "account", type: "str" }] } });
    expect(read("billing/flyte-task.config.ts")).toContain('account: { type: "str" }');
    expect(read("billing/pyproject.toml")).toContain('name = "flytekitplugins-billing"');
  });

  it.each([
    ["generic", ["tests/test_task.py"], ["tests/test_run.py"]],
    ["sql", ["tests/test_task.py", "tests/test_run.py"], []],
  ])("writes the %s kind's files", async (kind, present, absent) => {
    const { cwd, read } = await runGenerator({ answers: { directory: "kind-check", kind } });
    for (const path of present) expect(existsSync(join(cwd, "kind-check", path)), path).toBe(true);
    for (const path of absent) expect(existsSync(join(cwd, "kind-check", path)), path).toBe(false);
    const task = read("kind-check/flytekitplugins/kind_check/task.py");
    expect(task.includes("SQLTask[KindCheckConfig]")).toBe(kind === "sql");
  });

  it("writes the sqlite example with its executor and pandas", async () => {
    const { read } = await runGenerator({ answers: { directory: "sqlite3", example: "sqlite" } });
    expect(read("sqlite3/flytekitplugins/sqlite3/executor.py")).toContain("shutil.unpack_archive");
    expect(read("sqlite3/pyproject.toml")).toMatch(/"pandas[^"]*"/);
    expect(read("sqlite3/tests/test_run.py")).toContain("from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task");
  });
});
