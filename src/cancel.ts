/**
 * Cancel: what Ctrl-C does. One short line, exit 130 (0 at a question under npm init: see
 * exitCodeOfCancel), and each stage that is under way says what to undo or how to resume: a
 * plugin not yet in place is removed, one in place is kept with the command that finishes it.
 */
type Cleanup = () => string | undefined;

const cleanups: Cleanup[] = [];

/** Registers what to do if the run is cancelled now; returns the function that unregisters it. */
export function onCancel(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.indexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/** Runs the cleanups (newest first) and returns the lines to print after "Cancelled.". */
export function runCancelCleanups(): string[] {
  const lines: string[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      const line = cleanup();
      if (line !== undefined) lines.push(line);
    } catch (error) {
      lines.push(`could not clean up: ${(error as Error).message}`);
    }
  }
  return lines;
}

export const EXIT_CANCELLED = 130;

/**
 * The exit code of a run the user cancelled at a question: 130, as for Ctrl-C. When npm runs
 * this tool itself (`npm init flyte-task`, `npx create-flyte-task`), npm follows any code but 0
 * with five "npm error" lines, so there a cancel exits 0, as create-vite's does, and
 * "Cancelled." stays the one line. npm's variables also reach the children of other tools it
 * runs (`npx vitest`): only its script naming this bin counts.
 */
export function exitCodeOfCancel(env: NodeJS.ProcessEnv = process.env): number {
  const script = (env.npm_lifecycle_script ?? "").replace(/['"]/g, "").trim().split(/\s+/)[0] ?? "";
  const runByNpm = env.npm_lifecycle_event === "npx" && /(^|\/)create-flyte-task$/.test(script);
  return runByNpm ? 0 : EXIT_CANCELLED;
}
