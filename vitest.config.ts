import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // End-to-end tests install and run real flytekit; they are slow, not flaky.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: ".cache/vitest-results.json" },
  },
});
