/**
 * Cancel: what Ctrl-C does. One short line, exit 130, and each stage that is under way says
 * what to undo or how to resume: a plugin not yet in place is removed, one in place is kept
 * with the command that finishes it.
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
