/**
 * The Yeoman generator behind an interactive `create-flyte-task`: Yeoman runs the loop and
 * asks the questions (one `askFor*` each, skipped when a flag answered it); the plugin is then
 * made by `createPlugin`, the same stages an unattended run calls directly.
 */
import { resolve } from "node:path";
import Generator, { type BaseOptions } from "yeoman-generator";
import { QUESTIONS, rawSchemaOf, withDefaults, withExample, type Answers, type Ask, type ExistingFolder } from "../../src/answers.js";
import { createPlugin, type CreateOptions } from "../../src/create.js";
import { validateSchema, type TaskSchema } from "../../src/schema.js";
import { emptyFolder } from "../../src/target.js";
import { isCancel } from "../../src/errors.js";

export type AppOptions = BaseOptions & {
  /** Answers from flags and the answers file; the generator asks for the rest when `interactive`. */
  answers: Answers;
  create: CreateOptions;
  /** The plugin's folder when the command line named one; else the answers' directory. */
  target?: string;
  interactive: boolean;
  /** Set when the user cancelled a question; Yeoman would print a failure line for a throw. */
  outcome?: { cancelled: boolean };
};

export default class FlyteTaskGenerator extends Generator<Record<string, never>, AppOptions> {
  constructor(args?: string[], options?: BaseOptions) {
    // The plugin's package.json only pins create-flyte-task for its own scripts: no npm install here.
    super(args, options, { customInstallTask: true });
  }

  private schema?: TaskSchema;
  private target = "";
  private existing: ExistingFolder | undefined;

  async prompting(): Promise<void> {
    const answers: Answers = { ...this.options.answers };
    if (this.options.interactive) {
      const ask: Ask = (questions) => this.prompt(questions as never);
      try {
        for (const question of QUESTIONS) await question(ask, answers);
      } catch (error) {
        if (this.options.outcome === undefined || !isCancel(error)) throw error;
        this.options.outcome.cancelled = true;
        return;
      }
    }
    const complete = withDefaults(withExample(answers));
    this.schema = validateSchema(rawSchemaOf(complete));
    this.target = resolve(this.options.target ?? complete.directory!);
    this.existing = complete.existing;
  }

  async writing(): Promise<void> {
    if (this.options.outcome?.cancelled) return;
    if (this.existing === "empty" && !this.options.create.dryRun) emptyFolder(this.target);
    const create = { ...this.options.create, force: this.options.create.force || this.existing !== undefined };
    await createPlugin(this.schema!, this.target, create, (line) => this.log(line));
  }
}

