import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // End-to-end tests install and run real flytekit; they are slow, not flaky.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: "forks",
    // vitest leaves one core free by default, which on a 2-core machine runs files one at a
    // time; most tests wait on child processes, so use every core.
    maxWorkers: availableParallelism(),
    minWorkers: 1,
    reporters: ["default", "json"],
    outputFile: { json: ".cache/vitest-results.json" },
  },
});
