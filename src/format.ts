/**
 * Formats generated text the way the plugin's own tools will check it: Python with ruff's
 * formatter (its WebAssembly build, so no Python is needed), TypeScript, JSON, Markdown and
 * YAML with prettier's standalone build. Each formatter loads on first use only.
 */
import { extname } from "node:path";

type PrettierFormat = (source: string, parser: string) => Promise<string>;
type RuffFormat = (source: string) => string;

let prettierFormat: Promise<PrettierFormat> | undefined;
let ruffFormat: Promise<RuffFormat> | undefined;

const PRETTIER_PARSERS: Readonly<Record<string, string>> = {
  ".ts": "typescript",
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
  const formatted = await (await loadPrettier())(source, parser);
  return extension === ".md" ? formatPythonBlocks(formatted) : formatted;
}

/** Ruff formats the Python code blocks of Markdown files too, so the README's examples go through it. */
const PYTHON_BLOCK = /^```python\n([\s\S]*?)^```$/gm;

async function formatPythonBlocks(markdown: string): Promise<string> {
  if (!markdown.includes("```python\n")) return markdown;
  const format = await loadRuff();
  return markdown.replace(PYTHON_BLOCK, (_block, code: string) => `\`\`\`python\n${format(code)}\`\`\``);
}

function loadPrettier(): Promise<PrettierFormat> {
  prettierFormat ??= (async () => {
    const [prettier, typescript, estree, babel, markdown, yaml] = await Promise.all([
      import("prettier/standalone"),
      import("prettier/plugins/typescript"),
      import("prettier/plugins/estree"),
      import("prettier/plugins/babel"),
      import("prettier/plugins/markdown"),
      import("prettier/plugins/yaml"),
    ]);
    const plugins = [typescript, estree, babel, markdown, yaml];
    return (source: string, parser: string) => prettier.format(source, { parser, plugins });
  })();
  return prettierFormat;
}

async function ruffWorkspace() {
  // A CommonJS module: its exports are the default export, in Node and in the bundle alike.
  const { Workspace, PositionEncoding } = (await import("@astral-sh/ruff-wasm-nodejs")).default;
  return new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
}

function loadRuff(): Promise<RuffFormat> {
  ruffFormat ??= (async () => {
    const workspace = await ruffWorkspace();
    return (source: string) => workspace.format(source);
  })();
  return ruffFormat;
}


/** Formats only `range` of a TypeScript file with prettier, leaving the rest byte for byte. */
export async function formatTypeScriptRange(source: string, range: readonly [number, number]): Promise<string> {
  const [prettier, typescript, estree] = await Promise.all([
    import("prettier/standalone"),
    import("prettier/plugins/typescript"),
    import("prettier/plugins/estree"),
  ]);
  return prettier.format(source, { parser: "typescript", plugins: [typescript, estree], rangeStart: range[0], rangeEnd: range[1] });
}
