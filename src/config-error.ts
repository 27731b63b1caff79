/** A problem in flyte-task.config.ts, already prefixed with `flyte-task.config.ts:line:column:`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
