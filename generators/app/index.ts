/**
 * The Yeoman generator behind an interactive `create-flyte-task`: Yeoman runs the loop and
 * asks the questions (one `askFor*` each, skipped when a flag answered it); the plugin is then
 * made by `createPlugin`, the same stages an unattended run calls directly.
 */
import { resolve } from "node:path";
import Generator, { type BaseOptions } from "yeoman-generator";
import { QUESTIONS, rawSchemaOf, withDefaults, withExample, type Answers, type Ask } from "../../src/answers.js";
import { createPlugin, type CreateOptions } from "../../src/create.js";
import { validateSchema, type TaskSchema } from "../../src/schema.js";

export type AppOptions = BaseOptions & {
  /** Answers from flags and the answers file; the generator asks for the rest when `interactive`. */
  answers: Answers;
  create: CreateOptions;
  /** The plugin's folder when the command line named one; else the answers' directory. */
  target?: string;
  interactive: boolean;
};

export default class FlyteTaskGenerator extends Generator<Record<string, never>, AppOptions> {
  constructor(args?: string[], options?: BaseOptions) {
    // The plugin's package.json only pins create-flyte-task for its own scripts: no npm install here.
    super(args, options, { customInstallTask: true });
  }

  private schema?: TaskSchema;
  private target = "";

  async prompting(): Promise<void> {
    const answers: Answers = { ...this.options.answers };
    if (this.options.interactive) {
      const ask: Ask = (questions) => this.prompt(questions as never);
      for (const question of QUESTIONS) await question(ask, answers);
    }
    const complete = withDefaults(withExample(answers));
    this.schema = validateSchema(rawSchemaOf(complete));
    this.target = resolve(this.options.target ?? complete.directory!);
  }

  async writing(): Promise<void> {
    await createPlugin(this.schema!, this.target, this.options.create, (line) => this.log(line));
  }
}
