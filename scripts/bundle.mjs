#!/usr/bin/env node
// Bundles the CLI and everything it uses into dist/cli/, so the published package has no
// run-time dependencies: no module resolution at start-up, and a small install. Heavy parts
// (Yeoman, ts-morph, prettier) stay in chunks that load only when a command needs them.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const outdir = "dist/cli";
const require = createRequire(import.meta.url);

/**
 * Yeoman's modules read their own package.json from a path relative to themselves, which a
 * bundle no longer has: inline those reads at build time. Each read is an exact string of the
 * pinned Yeoman version; when an upgrade changes one, the build fails instead of shipping a
 * bundle that breaks at run time.
 */
const MANIFEST_READS = [
  { file: "yeoman-generator/dist/generator.js", text: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))" },
  { file: "yeoman-environment/dist/environment-base.js", text: "require('../package.json')" },
  { file: "yeoman-environment/dist/module-lookup.js", text: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString())" },
];
const manifestReadsDone = new Set();

const inlineYeomanManifests = {
  name: "inline-yeoman-manifests",
  setup(build) {
    build.onLoad({ filter: /[\\/]yeoman-(generator|environment)[\\/]dist[\\/].*\.js$/ }, (args) => {
      const packageDir = args.path.slice(0, args.path.lastIndexOf("/dist/"));
      const manifest = JSON.stringify(JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")));
      let source = readFileSync(args.path, "utf8");
      for (const read of MANIFEST_READS.filter(({ file }) => args.path.endsWith(`/${file}`))) {
        const count = source.split(read.text).length - 1;
        if (count !== 1) throw new Error(`bundle: expected ${read.text} once in ${read.file}, found it ${count} times`);
        source = source.replace(read.text, manifest);
        manifestReadsDone.add(read);
      }
      return { contents: source, loader: "js" };
    });
  },
};
rmSync(outdir, { recursive: true, force: true });

/**
 * Parts of Yeoman's dependency tree that this tool never runs, replaced by stubs that throw:
 * npm's arborist (installing generators on the fly, with pacote, tar, sigstore...) and the
 * external editor of inquirer's `editor` prompt (with iconv-lite). They are most of the
 * bundle's weight, and loading them cost every scaffold time for nothing.
 */
const UNUSED_MODULES = {
  "@npmcli/arborist": "export default class Arborist { constructor() { throw new Error(\"create-flyte-task does not install generators\"); } }",
  "@inquirer/external-editor": [
    "const unsupported = () => { throw new Error(\"create-flyte-task asks no editor questions\"); };",
    "export const edit = unsupported, editAsync = unsupported;",
    "export class ExternalEditor { constructor() { unsupported(); } }",
  ].join("\n"),
};

const stubbed = new Set();

const stubUnusedModules = {
  name: "stub-unused-modules",
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(UNUSED_MODULES).map((name) => name.replace(/[/]/g, "\\/")).join("|")})$`);
    build.onResolve({ filter }, (args) => {
      stubbed.add(args.path);
      return { path: args.path, namespace: "unused" };
    });
    build.onLoad({ filter: /.*/, namespace: "unused" }, (args) => ({ contents: UNUSED_MODULES[args.path], loader: "js" }));
  },
};

/** Fills src/templates-precompiled.ts with every template compiled ahead of time. */
const precompileTemplates = {
  name: "precompile-templates",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]templates-precompiled\.ts$/ }, () => {
      const handlebars = require("handlebars");
      const entries = readdirSync("templates", { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const source = readFileSync(join(entry.parentPath, entry.name), "utf8");
          const key = createHash("sha256").update(source).digest("hex");
          return `  ${JSON.stringify(key)}: ${handlebars.precompile(source, { noEscape: true, strict: true })},`;
        });
      return { contents: `export const PRECOMPILED = {\n${entries.join("\n")}\n};\n`, loader: "js" };
    });
  },
};

/**
 * Inlines the files of dependency-versions/ (the pins that Renovate and Dependabot bump) into
 * the bundle, so that a run reads no file for them.
 */
const inlineDependencyVersions = {
  name: "inline-dependency-versions",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]dependency-versions-files\.ts$/ }, () => {
      const read = (name) => JSON.stringify(readFileSync(join("dependency-versions", name), "utf8"));
      const files = `{ requirements: ${read("requirements.txt")}, dockerfile: ${read("Dockerfile")}, actions: ${read("action.yml")} }`;
      return { contents: `export const DEPENDENCY_FILES = ${files};\n`, loader: "js" };
    });
  },
};

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
  plugins: [inlineYeomanManifests, stubUnusedModules, precompileTemplates, inlineDependencyVersions],
  logLevel: "warning",
});

// A stub nothing imports any more is dead weight in this script: say so rather than keep it.
const unusedStubs = Object.keys(UNUSED_MODULES).filter((name) => !stubbed.has(name));
if (unusedStubs.length > 0) throw new Error(`bundle: nothing imports ${unusedStubs.join(", ")} any more: remove its stub`);
const missed = MANIFEST_READS.filter((read) => !manifestReadsDone.has(read));
if (missed.length > 0) throw new Error(`bundle: Yeoman no longer has ${missed.map((read) => read.file).join(", ")}: update MANIFEST_READS`);

// ruff's WebAssembly formatter reads its .wasm from beside the module that loads it.
const ruffDir = dirname(require.resolve("@astral-sh/ruff-wasm-nodejs"));
mkdirSync(outdir, { recursive: true });
copyFileSync(join(ruffDir, "ruff_wasm_bg.wasm"), join(outdir, "ruff_wasm_bg.wasm"));
