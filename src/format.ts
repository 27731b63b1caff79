/**
 * Formats generated text the way the plugin's own tools will check it: Python with ruff's
 * formatter (its WebAssembly build, so no Python is needed), and flyte-task.config.ts with
 * prettier's standalone build, since user values (long defaults) decide its line breaks. The
 * YAML, JSON and Markdown templates are written formatted already (a unit test runs prettier
 * over them); only the Python blocks of Markdown go through ruff. Each formatter loads on
 * first use only.
 */
import { extname } from "node:path";

type RuffFormat = (source: string) => string;
type PrettierPlugin = import("prettier").Plugin;

let ruffFormat: Promise<RuffFormat> | undefined;

/** TypeScript goes through babel's parser: prettier's own is three times the size to load. */
function typeScriptPlugins(): Promise<PrettierPlugin>[] {
  return [import("prettier/plugins/babel"), import("prettier/plugins/estree")];
}

export async function formatFile(path: string, source: string): Promise<string> {
  const extension = extname(path);
  if (extension === ".py") return (await loadRuff())(source);
  if (extension === ".ts") return prettierFormat(source);
  const text = source.endsWith("\n") ? source : `${source}\n`;
  return extension === ".md" ? formatPythonBlocks(text) : text;
}

async function prettierFormat(source: string, range?: readonly [number, number]): Promise<string> {
  const [prettier, ...plugins] = await Promise.all([import("prettier/standalone"), ...typeScriptPlugins()]);
  return prettier.format(source, { parser: "babel-ts", plugins, ...(range ? { rangeStart: range[0], rangeEnd: range[1] } : {}) });
}

/** Ruff formats the Python code blocks of Markdown files too, so the README's examples go through it. */
const PYTHON_BLOCK = /^```python\n([\s\S]*?)^```$/gm;

async function formatPythonBlocks(markdown: string): Promise<string> {
  if (!markdown.includes("```python\n")) return markdown;
  const format = await loadRuff();
  return markdown.replace(PYTHON_BLOCK, (_block, code: string) => `\`\`\`python\n${format(code)}\`\`\``);
}

function loadRuff(): Promise<RuffFormat> {
  ruffFormat ??= (async () => {
    // ruff's module is 10 MB of WebAssembly, and V8 optimizes all of it on background threads
    // by default: hundreds of milliseconds of CPU and about 70 MB of memory, to format a few
    // small files. Its baseline compiler alone is plenty for that. The flag must be set before
    // the module is compiled, which importing the glue below does.
    (await import("node:v8")).setFlagsFromString("--liftoff-only");
    // A CommonJS module: its exports are the default export, in Node and in the bundle alike.
    const { Workspace, PositionEncoding } = (await import("@astral-sh/ruff-wasm-nodejs")).default;
    // Empty options mean ruff's defaults, as the plugin's own `ruff format` uses them; passing
    // Workspace.defaultSettings() instead spells them out and costs ~150 ms to build and parse.
    const workspace = new Workspace({}, PositionEncoding.Utf16);
    return (source: string) => workspace.format(source);
  })();
  return ruffFormat;
}

/** Formats only `range` of a TypeScript file with prettier, leaving the rest byte for byte. */
export function formatTypeScriptRange(source: string, range: readonly [number, number]): Promise<string> {
  return prettierFormat(source, range);
}
