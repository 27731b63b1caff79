/**
 * Runs the app generator in a Yeoman environment, for the questions of an interactive run.
 * Imported only then, since yeoman-environment is the slowest module to load.
 */
import { Console } from "node:console";
import { createEnv } from "yeoman-environment";
import FlyteTaskGenerator, { type AppOptions } from "../generators/app/index.js";
import { CancelledError } from "./errors.js";

export async function runGenerator(options: Pick<AppOptions, "answers" | "create" | "target" | "interactive">): Promise<void> {
  const outcome = { cancelled: false };
  // Progress is output, not diagnostics: Yeoman's log goes to stdout; errors still go to stderr.
  const env = createEnv({ skipInstall: true, console: new Console({ stdout: process.stdout, stderr: process.stdout }) });
  env.register(FlyteTaskGenerator, { namespace: "flyte-task:app" });
  const runOptions: Partial<AppOptions> = { skipInstall: true, skipCache: true, ignoreVersionCheck: true };
  await env.run(["flyte-task:app"], { ...runOptions, ...options, outcome } as Record<string, unknown>);
  if (outcome.cancelled) throw new CancelledError();
}
