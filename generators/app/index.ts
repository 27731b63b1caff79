/**
 * The Yeoman generator behind `create-flyte-task`: Yeoman runs the loop (prompting, writing,
 * end) and owns the in-memory file system; each stage's work is a call into src/.
 * Files are committed by Yeoman into a staging folder beside the target, then moved into
 * place in one step, so a failure never leaves a half-made plugin.
 */
import { rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import Generator, { type BaseOptions } from "yeoman-generator";
import { QUESTIONS, toSchema, withDefaults, withExample, type Answers, type Ask, type CreateOptions } from "../../src/answers.js";
import { moveIntoPlace, STATE_DIR } from "../../src/apply.js";
import { initRepository, installAndTest } from "../../src/exec.js";
import { describe, planScaffold } from "../../src/plan.js";
import { scaffoldFiles } from "../../src/state.js";
import type { TaskSchema } from "../../src/schema.js";

export type AppOptions = BaseOptions & {
  /** Answers from flags and the answers file; the generator asks for the rest when `interactive`. */
  answers: Answers;
  create: CreateOptions;
  interactive: boolean;
};

export default class FlyteTaskGenerator extends Generator<Record<string, never>, AppOptions> {
  constructor(args?: string[], options?: BaseOptions) {
    // The plugin's package.json only pins create-flyte-task for its own scripts: no npm install here.
    super(args, options, { customInstallTask: true });
  }

  private schema?: TaskSchema;
  private target = "";
  private staging = "";
  private files = new Map<string, string>();

  async prompting(): Promise<void> {
    const answers: Answers = { ...this.options.answers };
    if (this.options.interactive) {
      const ask: Ask = (questions) => this.prompt(questions as never);
      for (const question of QUESTIONS) await question(ask, answers);
    }
    const complete = withDefaults(withExample(answers));
    this.schema = toSchema(complete);
    this.target = resolve(this.options.create.directory ?? complete.directory!);
  }

  async writing(): Promise<void> {
    this.files = await scaffoldFiles(this.schema!);
    const changes = planScaffold(this.target, this.files, this.options.create.force);
    const listed = describe(changes).filter((line) => !line.includes(` ${STATE_DIR}/`));
    if (this.options.create.dryRun) {
      this.log(`Would write ${listed.length} files in ${this.target}, and the ${STATE_DIR}/ folder regenerate uses:`);
      for (const line of listed) this.log(`  ${line}`);
      return;
    }
    const staging = join(dirname(this.target), `.${basename(this.target)}.flyte-task-${randomBytes(4).toString("hex")}`);
    this.staging = staging;
    // Whatever fails after this (Yeoman's commit, the move), the staging folder does not outlive the run.
    process.once("exit", () => rmSync(staging, { recursive: true, force: true }));
    this.destinationRoot(staging);
    for (const line of listed) this.log(`  ${line}`);
    for (const [path, content] of this.files) this.fs.write(this.destinationPath(path), content);
  }

  async end(): Promise<void> {
    if (this.options.create.dryRun) return;
    try {
      moveIntoPlace(this.staging, this.target, this.files);
    } finally {
      rmSync(this.staging, { recursive: true, force: true });
    }
    this.log(`Created ${this.schema!.name} in ${this.target}`);
    if (this.options.create.git) await initRepository(this.target, (line) => this.log(line));
    if (this.options.create.install) await installAndTest(this.target, (line) => this.log(line));
    this.log(nextSteps(this.target, this.options.create.install));
  }
}

function nextSteps(target: string, installed: boolean): string {
  const lines = ["", "Next:", `  cd ${target}`];
  if (!installed) lines.push('  python -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/pytest');
  lines.push("  edit the executor (the TODO in executor.py), then build and push the image (see README.md)");
  return lines.join("\n");
}
