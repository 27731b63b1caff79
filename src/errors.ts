/** Bad input from the user (flags, answers, target folder): exit 2 with one line, nothing written. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
