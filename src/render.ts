/**
 * Render: the schema in, the plugin's files out (path -> formatted text), in memory.
 * Templates live under templates/<layer>/ and mirror the output tree; the layers are
 * `common`, then the kind (`generic`, `sql`), then an example (`examples/sqlite`), a later
 * layer replacing a file of the same path. `__module__` in a path is the Python module name,
 * a leading `_` in a file name is a dot (npm drops dotfiles such as .gitignore from packages).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { createHash } from "node:crypto";
import HandlebarsRuntime from "handlebars/runtime";
import { formatFile } from "./format.js";
import { generatedHeader, ownerOf, type Owner } from "./ownership.js";
import { templatesDir, toolVersion } from "./paths.js";
import { pyDocstringBody, pyLiteral, pyString, type PyValue } from "./python.js";
import { deriveNames, SQL_OUTPUT_NAME, type FieldDef, type FieldType, type OutputDef, type PluginNames, type TaskSchema } from "./schema.js";
import versions from "./dependency-versions.js";
import { PRECOMPILED } from "./templates-precompiled.js";

export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  readonly owner: Owner;
}

/** What a template sees for one field. */
export interface FieldContext {
  readonly name: string;
  readonly type: FieldType;
  /** The Python annotation, e.g. `dict[str, int]` or `float | None`. */
  readonly annotation: string;
  readonly required: boolean;
  readonly optional: boolean;
  /** The dataclass default as Python source (`3`, `None`, `field(default_factory=list)`); empty when required. */
  readonly defaultSource: string;
  /** The default as JSON, for flyte-task.config.ts: `3`, `null`; empty when required. */
  readonly defaultJson: string;
  /** The default for humans (README): `3`, `None`, or empty when required. */
  readonly defaultDisplay: string;
  readonly description: string;
  /** The description as the body of a one-line docstring that evaluates to exactly it. */
  readonly docstring: string;
  /** A valid value other than the default, for tests. */
  readonly sample: string;
  /** Values of the wrong type, for tests. */
  readonly wrongSamples: readonly string[];
  /** The from_custom reader for this type in config.py, e.g. `_int`, `_list_of(_str)`. */
  readonly reader: string;
}

export interface RenderContext {
  readonly tool: { readonly name: string; readonly version: string };
  readonly plugin: PluginNames;
  readonly schema: TaskSchema;
  readonly isSql: boolean;
  readonly fields: readonly FieldContext[];
  /** Required fields first: dataclasses need non-default fields before defaulted ones. */
  readonly dataclassFields: readonly FieldContext[];
  readonly requiredFields: readonly FieldContext[];
  readonly output: { readonly name: string; readonly annotation: string; readonly placeholder: string };
  /** A config built from sample values of the required fields, as Python source. */
  readonly configExample: string;
  readonly readers: ReadersUsed;
  /** An int field, whose value the tests check comes back from protobuf as a float. */
  readonly firstIntField: string | null;
  /** Whether any dataclass default needs `field(default_factory=...)`. */
  readonly usesFieldFactory: boolean;
  /** The plugin's Python dependencies, as pyproject.toml lists them. */
  readonly pythonDependencies: readonly string[];
  readonly versions: typeof versions;
}

const PYTHON_TYPES: Readonly<Record<FieldType, string>> = {
  str: "str",
  int: "int",
  float: "float",
  bool: "bool",
  "list[str]": "list[str]",
  "list[int]": "list[int]",
  "list[float]": "list[float]",
  "list[bool]": "list[bool]",
  "dict[str,str]": "dict[str, str]",
  "dict[str,int]": "dict[str, int]",
  "dict[str,float]": "dict[str, float]",
  "dict[str,bool]": "dict[str, bool]",
};

/** Two valid values per type, so that a sample can always differ from the field's default. */
const SAMPLES: Readonly<Record<FieldType, readonly [PyValue, PyValue]>> = {
  str: ["example", "other example"],
  int: [7, 8],
  float: [2.5, 3.5],
  bool: [true, false],
  "list[str]": [["example"], ["other"]],
  "list[int]": [[7], [8]],
  "list[float]": [[2.5], [3.5]],
  "list[bool]": [[true], [false]],
  "dict[str,str]": [{ example: "value" }, { other: "value" }],
  "dict[str,int]": [{ example: 7 }, { other: 8 }],
  "dict[str,float]": [{ example: 2.5 }, { other: 3.5 }],
  "dict[str,bool]": [{ example: true }, { other: false }],
};

/** Values of the wrong type that from_custom must refuse, as Python source. */
const WRONG_SAMPLES: Readonly<Record<FieldType, readonly string[]>> = {
  str: ["7"],
  int: ["3.5", "True", '"7"'],
  float: ['"2.5"', "False"],
  bool: ["1"],
  "list[str]": ['"example"', "[7]"],
  "list[int]": ['"7"', "[2.5]"],
  "list[float]": ['"2.5"', '["2.5"]'],
  "list[bool]": ['"true"', "[1]"],
  "dict[str,str]": ['["example"]', '{"example": 7}'],
  "dict[str,int]": ['["example"]', '{"example": 2.5}'],
  "dict[str,float]": ['["example"]', '{"example": "2.5"}'],
  "dict[str,bool]": ['["example"]', '{"example": 1}'],
};

function sampleOf(field: FieldDef): PyValue {
  const [first, second] = SAMPLES[field.type];
  return JSON.stringify(first) === JSON.stringify(field.default) ? second : first;
}

const READERS: Readonly<Record<FieldType, string>> = {
  str: "_as_str",
  int: "_as_int",
  float: "_as_float",
  bool: "_as_bool",
  "list[str]": "_list_of(_as_str)",
  "list[int]": "_list_of(_as_int)",
  "list[float]": "_list_of(_as_float)",
  "list[bool]": "_list_of(_as_bool)",
  "dict[str,str]": "_dict_of(_as_str)",
  "dict[str,int]": "_dict_of(_as_int)",
  "dict[str,float]": "_dict_of(_as_float)",
  "dict[str,bool]": "_dict_of(_as_bool)",
};

/** Which reader helpers config.py needs, so it defines no unused one. */
export interface ReadersUsed {
  readonly str: boolean;
  readonly int: boolean;
  readonly float: boolean;
  readonly bool: boolean;
  readonly optional: boolean;
  readonly list: boolean;
  readonly dict: boolean;
}

function readersUsed(fields: readonly FieldContext[]): ReadersUsed {
  const uses = (pattern: RegExp) => fields.some((field) => pattern.test(field.reader));
  return {
    str: uses(/_as_str|_dict_of/),
    int: uses(/_as_int/),
    float: uses(/_as_float/),
    bool: uses(/_as_bool/),
    optional: uses(/_optional/),
    list: uses(/_list_of/),
    dict: uses(/_dict_of/),
  };
}

/**
 * The executor stub's return value for each output type, built from `summary`, a JSON string
 * of the config and the inputs: a placeholder the user replaces with the real work.
 */
const PLACEHOLDERS: Readonly<Record<OutputDef["type"], string>> = {
  str: "summary",
  int: "len(summary)",
  float: "float(len(summary))",
  bool: "bool(summary)",
};

function isFloatType(type: FieldType): boolean {
  return type === "float" || type.endsWith("float]");
}

function defaultSource(field: FieldDef): string {
  if (field.default === undefined) return "";
  if (field.default === null) return "None";
  const literal = pyLiteral(field.default, isFloatType(field.type));
  if (!field.type.startsWith("list") && !field.type.startsWith("dict")) return literal;
  if (literal === "[]") return "field(default_factory=list)";
  if (literal === "{}") return "field(default_factory=dict)";
  return `field(default_factory=lambda: ${literal})`;
}

function fieldContext(field: FieldDef): FieldContext {
  const pythonType = PYTHON_TYPES[field.type];
  const optional = field.default === null;
  const asFloat = isFloatType(field.type);
  const description = field.description ?? "";
  return {
    name: field.name,
    type: field.type,
    annotation: optional ? `${pythonType} | None` : pythonType,
    required: field.default === undefined,
    optional,
    defaultSource: defaultSource(field),
    defaultJson: field.default === undefined ? "" : JSON.stringify(field.default),
    defaultDisplay: field.default === undefined ? "" : pyLiteral(field.default, asFloat),
    description,
    docstring: pyDocstringBody(description),
    sample: pyLiteral(sampleOf(field), asFloat),
    wrongSamples: WRONG_SAMPLES[field.type],
    reader: optional ? `_optional(${READERS[field.type]})` : READERS[field.type],
  };
}

export function buildContext(schema: TaskSchema): RenderContext {
  const fields = schema.fields.map(fieldContext);
  const output = schema.output;
  const plugin = deriveNames(schema.name);
  return {
    tool: { name: "create-flyte-task", version: toolVersion() },
    plugin,
    schema,
    isSql: schema.kind === "sql",
    fields,
    dataclassFields: [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)],
    requiredFields: fields.filter((f) => f.required),
    output: output
      ? { name: output.name, annotation: PYTHON_TYPES[output.type], placeholder: PLACEHOLDERS[output.type] }
      : { name: SQL_OUTPUT_NAME, annotation: "FlyteSchema", placeholder: "" },
    configExample: `${plugin.configClass}(${fields.filter((f) => f.required).map((f) => `${f.name}=${f.sample}`).join(", ")})`,
    readers: readersUsed(fields),
    firstIntField: fields.find((field) => field.type === "int")?.name ?? null,
    usesFieldFactory: fields.some((field) => field.defaultSource.startsWith("field(")),
    // A FlyteSchema result is a pandas DataFrame stored as Parquet, hence pyarrow.
    pythonDependencies: [`flytekit${versions.flytekitRange}`, ...(schema.kind === "sql" ? [`pandas${versions.pandas}`, `pyarrow${versions.pyarrow}`] : [])],
    versions,
  };
}

// ---------------------------------------------------------------------------------------------
// Templates

type HandlebarsEnvironment = typeof HandlebarsRuntime;
type Template = HandlebarsTemplateDelegate<RenderContext>;

/** noEscape: Handlebars' HTML escaping would corrupt Python; strict: a missing value is a bug, not "". */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

const HELPERS = {
  /** A Python string literal holding exactly the text. */
  pyString: (text: unknown) => pyString(String(text)),
  json: (value: unknown) => JSON.stringify(value),
  /** Text that stays one Markdown list item: line breaks become spaces. */
  markdownLine: (text: unknown) => String(text).replace(/\s*\r?\n\s*/g, " "),
  /** Names for one `from x import ...`, in isort's order: constants, classes, then the rest. */
  imports: (...args: unknown[]) => sortImportNames(args.slice(0, -1).map(String)).join(", "),
};

function withHelpers<E extends HandlebarsEnvironment>(environment: E): E {
  environment.registerHelper(HELPERS);
  return environment;
}

const runtime = withHelpers(HandlebarsRuntime.create());
let compiler: Promise<HandlebarsEnvironment> | undefined;

/** The precompiled template when the bundle has it, else the template compiled now. */
async function templateFor(source: string): Promise<Template> {
  const spec = PRECOMPILED[createHash("sha256").update(source).digest("hex")];
  if (spec !== undefined) return runtime.template(spec as Parameters<HandlebarsEnvironment["template"]>[0]);
  compiler ??= import("handlebars").then(({ default: handlebars }) => withHelpers(handlebars.create()));
  return (await compiler).compile(source, COMPILE_OPTIONS);
}

function importRank(name: string): number {
  if (name === name.toUpperCase()) return 0;
  return name[0] === name[0]!.toUpperCase() ? 1 : 2;
}

export function sortImportNames(names: readonly string[]): string[] {
  return [...names].sort((a, b) => importRank(a) - importRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

interface TemplateFile {
  readonly outputPath: string;
  readonly source: string;
}

function layersFor(schema: TaskSchema): string[] {
  const layers = ["common", schema.kind];
  if (schema.example) layers.push(join("examples", schema.example));
  return layers;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function outputPathOf(templatePath: string, module: string): string {
  return templatePath
    .split(sep)
    .map((part) => part.replace(/^_(?!_)/, ".").replace("__module__", module))
    .join("/")
    .replace(/\.hbs$/, "");
}

function loadTemplates(schema: TaskSchema, module: string): TemplateFile[] {
  const byPath = new Map<string, TemplateFile>();
  for (const layer of layersFor(schema)) {
    const root = join(templatesDir(), layer);
    for (const file of listFiles(root)) {
      const outputPath = outputPathOf(relative(root, file), module);
      byPath.set(outputPath, { outputPath, source: readFileSync(file, "utf8") });
    }
  }
  return [...byPath.values()].sort((a, b) => a.outputPath.localeCompare(b.outputPath));
}

const COMMENT_PREFIXES: Readonly<Record<string, string>> = { py: "#", toml: "#", ts: "//" };

function withHeader(path: string, content: string): string {
  const prefix = COMMENT_PREFIXES[path.slice(path.lastIndexOf(".") + 1)];
  return prefix === undefined ? content : `${generatedHeader(prefix)}\n${content}`;
}

/**
 * Renders every file of the plugin for this schema, formatted, sorted by path. Regenerate
 * leaves out the config file, which it reads and never rewrites.
 */
export async function renderPlugin(schema: TaskSchema, { withConfigFile = true } = {}): Promise<RenderedFile[]> {
  const context = buildContext(schema);
  const templates = loadTemplates(schema, context.plugin.module).filter(({ outputPath }) => withConfigFile || ownerOf(outputPath) !== "config");
  return Promise.all(
    templates.map(async ({ outputPath, source }) => {
      const template = await templateFor(source);
      const owner = ownerOf(outputPath);
      const raw = template(context);
      const content = await formatFile(outputPath, owner === "tool" ? withHeader(outputPath, raw) : raw);
      return { path: outputPath, content, owner };
    }),
  );
}
