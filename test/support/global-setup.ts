import { ensurePythonEnv } from "./python-env.js";

export default function setup(): void {
  ensurePythonEnv((line) => process.stderr.write(`${line}\n`));
}
