/** Bad input from the user (flags, answers, target folder): exit 2 with one line, nothing written. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** A problem in flyte-task.config.ts, already prefixed with `flyte-task.config.ts:line:column:`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}
