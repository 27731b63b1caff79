#!/usr/bin/env node
// Bundles the CLI and everything it uses into dist/cli/, so the published package has no
// run-time dependencies: no module resolution at start-up, and a small install. Heavy parts
// (Yeoman, ts-morph, prettier) stay in chunks that load only when a command needs them.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const outdir = "dist/cli";
const require = createRequire(import.meta.url);

/**
 * Yeoman's modules read their own package.json from a path relative to themselves, which a
 * bundle no longer has: inline those reads at build time.
 */
const inlineYeomanManifests = {
  name: "inline-yeoman-manifests",
  setup(build) {
    build.onLoad({ filter: /[\\/]yeoman-(generator|environment)[\\/]dist[\\/].*\.js$/ }, (args) => {
      const packageDir = args.path.slice(0, args.path.lastIndexOf("/dist/"));
      const manifest = JSON.stringify(JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")));
      const source = readFileSync(args.path, "utf8")
        .replace("JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))", manifest)
        .replace("require('../package.json')", manifest)
        .replace("JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString())", manifest);
      return { contents: source, loader: "js" };
    });
  },
};
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  // CommonJS dependencies bundled into ESM still ask for require, __filename and __dirname.
  banner: {
    js: [
      'import { createRequire as __cftCreateRequire } from "node:module";',
      'import { fileURLToPath as __cftFileURLToPath } from "node:url";',
      'import { dirname as __cftDirname } from "node:path";',
      "const require = __cftCreateRequire(import.meta.url);",
      "const __filename = __cftFileURLToPath(import.meta.url);",
      "const __dirname = __cftDirname(__filename);",
    ].join("\n"),
  },
  plugins: [inlineYeomanManifests],
  logLevel: "warning",
});

// ruff's WebAssembly formatter reads its .wasm from beside the module that loads it.
const ruffDir = dirname(require.resolve("@astral-sh/ruff-wasm-nodejs"));
mkdirSync(outdir, { recursive: true });
copyFileSync(join(ruffDir, "ruff_wasm_bg.wasm"), join(outdir, "ruff_wasm_bg.wasm"));
