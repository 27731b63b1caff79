/**
 * Runs the app generator in a Yeoman environment. Imported only when a plugin is created,
 * since yeoman-environment is the slowest module to load.
 */
import { createEnv } from "yeoman-environment";
import FlyteTaskGenerator, { type AppOptions } from "../generators/app/index.js";

export async function runCreate(options: Pick<AppOptions, "answers" | "create" | "interactive">): Promise<void> {
  const env = createEnv({ skipInstall: true });
  env.register(FlyteTaskGenerator, { namespace: "flyte-task:app" });
  const runOptions: Partial<AppOptions> = { skipInstall: true, skipCache: true, ignoreVersionCheck: true };
  await env.run(["flyte-task:app"], { ...runOptions, ...options } as Record<string, unknown>);
}
