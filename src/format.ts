/**
 * Formats generated text the way the plugin's own tools will check it: Python with ruff's
 * formatter (its WebAssembly build, so no Python is needed), TypeScript, JSON, Markdown and
 * YAML with prettier's standalone build. Each formatter loads on first use only.
 */
import { extname } from "node:path";

type RuffFormat = (source: string) => string;
type PrettierPlugin = import("prettier").Plugin;

let ruffFormat: Promise<RuffFormat> | undefined;

/**
 * The prettier plugins each parser needs, each imported on first use only. TypeScript goes
 * through babel's parser: the config file is plain literal data, and prettier's own TypeScript
 * parser is three times the size to load.
 */
const PRETTIER_PLUGINS: Readonly<Record<string, () => Promise<PrettierPlugin>[]>> = {
  "babel-ts": () => [import("prettier/plugins/babel"), import("prettier/plugins/estree")],
  json: () => [import("prettier/plugins/babel"), import("prettier/plugins/estree")],
  markdown: () => [import("prettier/plugins/markdown")],
  yaml: () => [import("prettier/plugins/yaml")],
};

const PRETTIER_PARSERS: Readonly<Record<string, keyof typeof PRETTIER_PLUGINS>> = {
  ".ts": "babel-ts",
  ".json": "json",
  ".md": "markdown",
  ".yaml": "yaml",
  ".yml": "yaml",
};

export async function formatFile(path: string, source: string): Promise<string> {
  const extension = extname(path);
  if (extension === ".py") return (await loadRuff())(source);
  const parser = PRETTIER_PARSERS[extension];
  if (parser === undefined) return source.endsWith("\n") ? source : `${source}\n`;
  const formatted = await prettierFormat(source, parser);
  return extension === ".md" ? formatPythonBlocks(formatted) : formatted;
}

async function prettierFormat(source: string, parser: keyof typeof PRETTIER_PLUGINS, range?: readonly [number, number]): Promise<string> {
  const [prettier, ...plugins] = await Promise.all([import("prettier/standalone"), ...PRETTIER_PLUGINS[parser]!()]);
  return prettier.format(source, { parser, plugins, ...(range ? { rangeStart: range[0], rangeEnd: range[1] } : {}) });
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
  return prettierFormat(source, "babel-ts", range);
}
