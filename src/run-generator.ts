/**
 * Runs the app generator in a Yeoman environment. Imported only when a plugin is created,
 * since yeoman-environment is the slowest module to load.
 */
import { Console } from "node:console";
import { createEnv } from "yeoman-environment";
import FlyteTaskGenerator, { type AppOptions } from "../generators/app/index.js";

export async function runCreate(options: Pick<AppOptions, "answers" | "create" | "interactive">): Promise<void> {
  // Progress is output, not diagnostics: Yeoman's log goes to stdout; errors still go to stderr.
  const env = createEnv({ skipInstall: true, console: new Console({ stdout: process.stdout, stderr: process.stdout }) });
  // Yeoman logs each file it commits by its path in the staging folder, which means nothing to
  // the user; the generator lists the files by their path in the plugin instead.
  delete (env.adapter.log as { create?: unknown }).create;
  env.register(FlyteTaskGenerator, { namespace: "flyte-task:app" });
  const runOptions: Partial<AppOptions> = { skipInstall: true, skipCache: true, ignoreVersionCheck: true };
  await env.run(["flyte-task:app"], { ...runOptions, ...options } as Record<string, unknown>);
}
