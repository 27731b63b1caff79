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

/** The user cancelled (Ctrl-C, or "cancel" at a question): exit 130, nothing left behind. */
export class CancelledError extends Error {
  constructor(message = "cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/** Ctrl-C at a question (the prompt library's own error) or a "Cancel" answer. */
export function isCancel(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && (error.name === "ExitPromptError" || /force closed the prompt/.test(error.message)));
}
