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
import { isInvisibleChar, pyDocstringBody, visibleJson, pyLiteral, pyString, type PyValue } from "./python.js";
import { deriveNames, SQL_OUTPUT_NAME, type FieldDef, type FieldType, type OutputDef, type PluginNames, type SecretRef, type TaskSchema } from "./schema.js";
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
  /** The schema's example as JSON, for flyte-task.config.ts; empty without one. */
  readonly exampleJson: string;
  /** A choice's values as JSON, for flyte-task.config.ts; empty for other types. */
  readonly choicesJson: string;
  /** What to_custom stores for the sample, as Python source: a secret's reference, a json field's text. */
  readonly customSample: string;
  /** For a secret field: what to_custom stores for the sample, as Python source. */
  readonly secretReference: string;
  readonly isSecret: boolean;
  readonly isSecretDict: boolean;
  readonly isJson: boolean;
  readonly isChoice: boolean;
  /** A choice's values as a Python list. */
  readonly choicesSource: string;
  /** Values of the wrong type, for tests. */
  readonly wrongSamples: readonly string[];
  /** How from_custom reads it, e.g. `_read(custom, "count", int)`. */
  readonly read: string;
  /** When from_custom reads it, for a field with a default: `"count" in custom`. */
  readonly presence: string;
  /** How to_custom writes it, or null when `asdict` holds it as it is. */
  readonly write: string | null;
}

export interface RenderContext {
  readonly tool: { readonly name: string; readonly version: string };
  readonly plugin: PluginNames;
  readonly schema: TaskSchema;
  readonly isSql: boolean;
  readonly fields: readonly FieldContext[];
  /** Required fields first: dataclasses need non-default fields before defaulted ones. */
  readonly dataclassFields: readonly FieldContext[];
  /** Old names of renamed fields (`alias`) and the field each now names. */
  readonly aliases: readonly { readonly alias: string; readonly name: string }[];
  readonly requiredFields: readonly FieldContext[];
  /** The fields with a default, which from_custom reads only when `custom` holds them. */
  readonly defaultedFields: readonly FieldContext[];
  /** The generic kind's outputs, in order; empty for the sql kind. */
  readonly outputs: readonly OutputContext[];
  readonly outputImports: OutputImports;
  /** The dataclass outputs, whose classes config.py defines before the outputs NamedTuple. */
  readonly dataclassOutputs: readonly OutputContext[];
  readonly executorFlytekitImports: string;
  readonly executorConfigImports: string;
  readonly executorDatetimeImports: string;
  readonly fixturesFlytekitImports: string;
  /** What config.py imports from dataclasses and typing. */
  readonly configDataclassImports: string;
  readonly configTypingImports: string;
  /** What config.py of the generic kind imports from flytekit. */
  readonly configFlytekitImports: string;
  /** The sql kind's one output, when output_schema_type is not None. */
  readonly sqlOutputName: string;
  /** A config built from sample values of the required fields, as Python source. */
  readonly configExample: string;
  readonly readers: ReadersUsed;
  /** The config's secrets as a Python list expression, and whether an optional one may be None; null without secrets. */
  readonly secrets: { readonly list: string; readonly mayBeNone: boolean } | null;
  /** The environment variable and a value for each secret of the sample config. */
  readonly secretEnvironment: readonly { readonly name: string; readonly value: string }[];
  readonly firstJsonField: FieldContext | null;
  /** Whether a required field is json: the tests write its custom value with json.dumps. */
  readonly requiredJson: boolean;
  readonly firstChoiceField: FieldContext | null;
  readonly secretFields: readonly FieldContext[];
  /** An int field, whose value the tests check comes back from protobuf as a float. */
  readonly firstIntField: string | null;
  /** Test-only dependencies beyond pytest and ruff. */
  readonly testDependencies: readonly string[];
  /** The plugin's Python dependencies, as pyproject.toml lists them. */
  readonly pythonDependencies: readonly string[];
  readonly versions: typeof versions;
}

const PYTHON_TYPES: Readonly<Record<Exclude<FieldType, "choice">, string>> = {
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
  secret: "Secret",
  "dict[str,secret]": "dict[str, Secret]",
  json: "Json",
};

function pythonType(field: FieldDef): string {
  if (field.type === "choice") return `Literal[${choicesOf(field).map(pyString).join(", ")}]`;
  return PYTHON_TYPES[field.type];
}

function choicesOf(field: FieldDef): readonly string[] {
  return field.choices ?? [];
}

/** Two valid values per type, so that a sample can always differ from the field's default. */
const SAMPLES: Readonly<Record<Exclude<FieldType, "choice">, readonly [PyValue, PyValue]>> = {
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
  secret: [
    { group: "example", key: "password" },
    { group: "example", key: "token", group_version: "v2" },
  ],
  "dict[str,secret]": [{ password: { group: "example", key: "password" } }, { token: { group: "example", key: "token" } }],
  // An int, a float that is whole, nesting and null: what a protobuf Struct would not give back.
  json: [
    { timeout: 5, ratio: 0.5, flags: [1, null, true] },
    [1, "two", { three: 3 }],
  ],
};

/** Values of the wrong type that from_custom must refuse, as Python source. */
const WRONG_SAMPLES: Readonly<Record<Exclude<FieldType, "choice">, readonly string[]>> = {
  str: ["7"],
  // 2**53 + 1 would come back from a protobuf Struct as 2**53; inf and nan not at all.
  int: ["3.5", "True", '"7"', "2**53 + 1"],
  float: ['"2.5"', "False", 'float("inf")', 'float("nan")'],
  bool: ["1"],
  "list[str]": ['"example"', "[7]"],
  "list[int]": ['"7"', "[2.5]"],
  "list[float]": ['"2.5"', '["2.5"]'],
  "list[bool]": ['"true"', "[1]"],
  "dict[str,str]": ['["example"]', '{"example": 7}'],
  "dict[str,int]": ['["example"]', '{"example": 2.5}'],
  "dict[str,float]": ['["example"]', '{"example": "2.5"}'],
  "dict[str,bool]": ['["example"]', '{"example": 1}'],
  secret: ['"hunter2"', '{"group": "db", "key": "password", "mount_requirement": "DISK"}'],
  "dict[str,secret]": ['{"password": "hunter2"}', '["password"]'],
  json: ['{"timeout": 5}', '"{not json"'],
};

function wrongSamplesOf(field: FieldDef): readonly string[] {
  if (field.type !== "choice") return WRONG_SAMPLES[field.type];
  let wrong = "not a choice";
  while (choicesOf(field).includes(wrong)) wrong += "!";
  return [pyString(wrong), "1.0"];
}

export function sampleOf(field: FieldDef): PyValue {
  if (field.example !== undefined) return field.example;
  const [first, second] = field.type === "choice" ? [choicesOf(field)[0]!, choicesOf(field)[1] ?? choicesOf(field)[0]!] : SAMPLES[field.type];
  return JSON.stringify(first) === JSON.stringify(field.default) ? second : first;
}

/** The Python type of the scalar a field holds, or its items hold: what `_checked` in config.py checks. */
function kindOf(type: FieldType): string | undefined {
  const item = /^(?:list\[|dict\[str,)?(str|int|float|bool|secret)\]?$/.exec(type)?.[1];
  return item === "secret" ? "Secret" : item;
}

/** How from_custom reads the field from `custom`, as Python source. */
function readOf(field: FieldDef): string {
  const name = pyString(field.name);
  if (field.type === "choice") {
    const choices = choicesOf(field).map(pyString);
    return `_read_choice(custom, ${name}, (${choices.join(", ")}${choices.length === 1 ? "," : ""}))`;
  }
  if (field.type === "json") return `_read_json(custom, ${name})`;
  const container = field.type.startsWith("list[") ? "_read_list" : field.type.startsWith("dict[") ? "_read_dict" : "_read";
  return `${container}(custom, ${name}, ${kindOf(field.type)!})`;
}

/**
 * How to_custom writes the field, as Python source, or null when `asdict` holds it as it is:
 * a secret as its reference, a json field as JSON text.
 */
function writeOf(field: FieldDef): string | null {
  const value = `self.${field.name}`;
  const name = pyString(field.name);
  // A json field holds None as JSON null, so it has no separate None case.
  if (field.type === "json") return `_json_text(${value}, ${name})`;
  const write =
    field.type === "secret"
      ? `_secret_reference(${value}, ${name})`
      : field.type === "dict[str,secret]"
        ? `{key: _secret_reference(secret, ${name}) for key, secret in ${value}.items()}`
        : null;
  return write !== null && field.default === null ? `None if ${value} is None else ${write}` : write;
}

/** When from_custom reads a field that has a default: an optional one only when it is not None. */
function presenceOf(field: FieldDef): string {
  const name = pyString(field.name);
  return field.default === null && field.type !== "json" ? `custom.get(${name}) is not None` : `${name} in custom`;
}

/** Which helpers config.py needs, so it defines no unused one and no dead branch. */
export interface ReadersUsed {
  /** `_field` and `_wrong_type`, which every reader uses. */
  readonly any: boolean;
  /** `_checked`, and the kinds it checks. */
  readonly checked: boolean;
  readonly int: boolean;
  readonly float: boolean;
  readonly secret: boolean;
  readonly read: boolean;
  readonly list: boolean;
  readonly dict: boolean;
  readonly choice: boolean;
  readonly json: boolean;
  /** Whether to_custom writes a field itself (else it is `asdict` alone). */
  readonly writers: boolean;
}

function readersUsed(fields: readonly FieldDef[]): ReadersUsed {
  const types = new Set(fields.map((field) => field.type));
  const kinds = new Set(fields.map((field) => kindOf(field.type)));
  const has = (...wanted: FieldType[]) => wanted.some((type) => types.has(type));
  const containers = (prefix: string) => fields.some((field) => field.type.startsWith(prefix));
  return {
    any: fields.length > 0,
    // json text is read as a str, and the keys of a dict are checked as str.
    checked: fields.some((field) => field.type !== "choice"),
    int: kinds.has("int"),
    float: kinds.has("float"),
    secret: kinds.has("Secret"),
    read: fields.some((field) => readOf(field).startsWith("_read(")) || has("json"),
    list: containers("list["),
    dict: containers("dict["),
    choice: has("choice"),
    json: has("json"),
    writers: fields.some((field) => writeOf(field) !== null),
  };
}

const ITEM_OUTPUTS: Readonly<Record<string, { readonly annotation: string; readonly placeholder: string }>> = {
  str: { annotation: "str", placeholder: "summary" },
  int: { annotation: "int", placeholder: "len(summary)" },
  float: { annotation: "float", placeholder: "len(summary) / 2" },
  bool: { annotation: "bool", placeholder: "bool(summary)" },
  datetime: { annotation: "datetime", placeholder: "datetime.fromtimestamp(len(summary), tz=timezone.utc)" },
  timedelta: { annotation: "timedelta", placeholder: "timedelta(seconds=len(summary))" },
};

/**
 * Each output type's Python annotation, and the executor stub's value for it, built from
 * `summary` (a JSON string of the config and the inputs) and `summary_file` (that text in a
 * file): a placeholder the user replaces with the real work.
 */
function outputContext(output: OutputDef): OutputContext {
  if (output.type === "dataclass") {
    const className = `${output.name.split("_").filter((part) => part !== "").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("")}Output`;
    const fields = (output.fields ?? []).map((field) => outputContext(field));
    const placeholder = `${className}(${fields.map((field) => `${field.name}=${field.placeholder}`).join(", ")})`;
    return { name: output.name, type: output.type, annotation: className, placeholder, className, fields };
  }
  const list = /^list\[(\w+)\]$/.exec(output.type);
  const dict = /^dict\[str,(\w+)\]$/.exec(output.type);
  const item = ITEM_OUTPUTS[list?.[1] ?? dict?.[1] ?? output.type];
  const other: Record<string, { annotation: string; placeholder: string }> = {
    file: { annotation: "FlyteFile", placeholder: "FlyteFile(str(summary_file))" },
    directory: { annotation: "FlyteDirectory", placeholder: "FlyteDirectory(str(summary_file.parent))" },
    // A string: pandas loads when a task is defined, not when the plugin is imported.
    dataframe: { annotation: '"pd.DataFrame"', placeholder: 'pd.DataFrame({"summary": [summary]})' },
    "structured-dataset": { annotation: "StructuredDataset", placeholder: 'StructuredDataset(dataframe=pd.DataFrame({"summary": [summary]}))' },
  };
  const typed =
    item === undefined
      ? other[output.type]!
      : list
        ? { annotation: `list[${item.annotation}]`, placeholder: `[${item.placeholder}, ${item.placeholder}]` }
        : dict
          ? { annotation: `dict[str, ${item.annotation}]`, placeholder: `{"summary": ${item.placeholder}}` }
          : item;
  return { name: output.name, type: output.type, ...typed };
}

export interface OutputContext {
  readonly name: string;
  readonly type: string;
  /** The Python annotation in the outputs NamedTuple. */
  readonly annotation: string;
  /** The executor stub's value of this output, as Python source. */
  readonly placeholder: string;
  /** A dataclass output's class, generated in config.py, and its fields. */
  readonly className?: string;
  readonly fields?: readonly OutputContext[];
}

const GENERIC = /^(list|dict)\[/;

type OutputImports = ReturnType<typeof outputImports>;

/** Which names config.py and the executor import for the outputs. */
function outputImports(outputs: readonly OutputContext[]) {
  const flat = outputs.flatMap((output) => [output, ...(output.fields ?? [])]);
  const uses = (pattern: RegExp) => flat.some((output) => pattern.test(output.type));
  return {
    datetime: uses(/datetime/),
    timedelta: uses(/timedelta/),
    file: uses(/^file$/),
    directory: uses(/^directory$/),
    summaryFile: uses(/^(file|directory)$/),
    pandas: uses(/^(dataframe|structured-dataset)$/),
    dataframe: uses(/^dataframe$/),
    structuredDataset: uses(/^structured-dataset$/),
    dataclass: uses(/^dataclass$/),
    // isinstance needs get_origin only for a generic type such as list[int].
    genericOutput: outputs.some((output) => GENERIC.test(output.type)),
    genericDataclassField: outputs.some((output) => (output.fields ?? []).some((field) => GENERIC.test(field.type))),
  };
}

function isFloatType(type: FieldType): boolean {
  return type === "float" || type.endsWith("float]");
}

/** A Python value as source: a secret reference becomes a `Secret(...)` call. */
function pyValue(value: PyValue | null, type: FieldType): string {
  if (value === null) return "None";
  if (type === "secret") return pySecret(value as unknown as SecretRef);
  if (type === "dict[str,secret]") {
    const entries = Object.entries(value as unknown as Record<string, SecretRef>).map(([key, ref]) => `${pyString(key)}: ${pySecret(ref)}`);
    return `{${entries.join(", ")}}`;
  }
  return pyLiteral(value, isFloatType(type));
}

function pySecret(ref: SecretRef): string {
  const parts = [`group=${pyString(ref.group)}`];
  if (ref.key !== undefined) parts.push(`key=${pyString(ref.key)}`);
  if (ref.group_version !== undefined) parts.push(`group_version=${pyString(ref.group_version)}`);
  if (ref.mount_requirement !== undefined) parts.push(`mount_requirement=Secret.MountType.${ref.mount_requirement}`);
  return `Secret(${parts.join(", ")})`;
}

/** What to_custom stores for a secret: the reference alone, as Python source. */
function pySecretReference(ref: SecretRef): string {
  return pyLiteral({ group: ref.group, key: ref.key ?? null, group_version: ref.group_version ?? null, mount_requirement: ref.mount_requirement ?? "ANY" });
}

/** Where flytekit looks for a secret's value: `_FSEC_` and its non-empty parts, upper-cased. */
function secretVariable(ref: SecretRef): string {
  return `_FSEC_${[ref.group, ref.group_version, ref.key].filter((part) => part !== undefined && part !== "").join("_").toUpperCase()}`;
}

function secretEnvironment(fields: readonly FieldDef[]): { name: string; value: string }[] {
  const refs = fields.flatMap((field) => {
    if (field.type === "secret") return [sampleOf(field) as unknown as SecretRef];
    if (field.type === "dict[str,secret]") return Object.values(sampleOf(field) as unknown as Record<string, SecretRef>);
    return [];
  });
  const names = [...new Set(refs.map(secretVariable))];
  return names.map((name, index) => ({ name, value: `value ${index + 1} of ${name.slice("_FSEC_".length).toLowerCase()}` }));
}

function customSampleOf(field: FieldDef, sample: PyValue): string {
  if (field.type === "secret") return pySecretReference(sample as unknown as SecretRef);
  if (field.type === "dict[str,secret]") {
    const entries = Object.entries(sample as unknown as Record<string, SecretRef>).map(([key, ref]) => `${pyString(key)}: ${pySecretReference(ref)}`);
    return `{${entries.join(", ")}}`;
  }
  if (field.type === "json") return `json.dumps(${pyLiteral(sample)})`;
  return pyValue(sample, field.type);
}

function defaultSource(field: FieldDef): string {
  if (field.default === undefined) return "";
  const literal = pyValue(field.default, field.type);
  const mutable = field.default !== null && (field.type === "secret" || typeof field.default === "object");
  if (!mutable) return literal;
  if (literal === "[]") return "field(default_factory=list)";
  if (literal === "{}") return "field(default_factory=dict)";
  return `field(default_factory=lambda: ${literal})`;
}

function fieldContext(field: FieldDef): FieldContext {
  const type = pythonType(field);
  const optional = field.default === null;
  const description = field.description ?? "";
  const sample = sampleOf(field);
  return {
    name: field.name,
    type: field.type,
    annotation: optional && field.type !== "json" ? `${type} | None` : type,
    required: field.default === undefined,
    optional,
    defaultSource: defaultSource(field),
    defaultJson: field.default === undefined ? "" : visibleJson(field.default),
    defaultDisplay: field.default === undefined ? "" : pyValue(field.default, field.type),
    description,
    docstring: pyDocstringBody(description),
    sample: pyValue(sample, field.type),
    exampleJson: field.example === undefined ? "" : visibleJson(field.example),
    choicesJson: field.choices === undefined ? "" : visibleJson(field.choices),
    secretReference: field.type === "secret" ? pySecretReference(sample as unknown as SecretRef) : "",
    customSample: customSampleOf(field, sample),
    isSecret: field.type === "secret",
    isSecretDict: field.type === "dict[str,secret]",
    isJson: field.type === "json",
    isChoice: field.type === "choice",
    choicesSource: pyLiteral([...choicesOf(field)]),
    wrongSamples: wrongSamplesOf(field),
    read: readOf(field),
    presence: presenceOf(field),
    write: writeOf(field),
  };
}

/** The names each generated module imports, in isort's order, so that none is unused. */
function pythonImports(schema: TaskSchema, fields: readonly FieldContext[], outputs: readonly OutputContext[], plugin: PluginNames, readers: ReadersUsed, uses: OutputImports) {
  const isGeneric = schema.kind !== "sql";
  const when = (condition: boolean, ...names: string[]): string[] => (condition ? names : []);
  const names = (...list: string[]): string => sortImportNames(list).join(", ");
  return {
    configDataclassImports: ["asdict", "dataclass", ...when(fields.some((field) => field.defaultSource.startsWith("field(")), "field")].join(", "),
    configTypingImports: names(
      ...when(isGeneric && uses.dataframe, "TYPE_CHECKING"),
      "Any",
      ...when(fields.some((field) => field.isChoice), "Literal"),
      ...when(isGeneric, "NamedTuple", "get_type_hints"),
      ...when(readers.json, "TypeAlias"),
      ...when(readers.checked || readers.choice, "TypeVar"),
    ),
    configFlytekitImports: names("FlyteContextManager", ...when(readers.secret, "Secret", "current_context"), ...when(uses.structuredDataset, "StructuredDataset"), ...when(uses.dataframe, "lazy_module")),
    executorFlytekitImports: names(...when(uses.structuredDataset, "StructuredDataset"), ...when(uses.summaryFile, "current_context"), ...when(uses.pandas, "lazy_module")),
    fixturesFlytekitImports: names("FlyteContextManager", ...when(readers.secret, "Secret"), ...when(uses.structuredDataset, "StructuredDataset")),
    executorDatetimeImports: [...when(uses.datetime, "datetime"), ...when(uses.timedelta, "timedelta"), ...when(uses.datetime, "timezone")].join(", "),
    executorConfigImports: names(plugin.configClass, ...outputs.flatMap((output) => when(output.className !== undefined, output.className!)), `${plugin.classPrefix}Outputs`, "to_literal_map"),
  };
}

export function buildContext(schema: TaskSchema): RenderContext {
  const fields = schema.fields.map(fieldContext);
  const outputs = schema.outputs.map(outputContext);
  const plugin = deriveNames(schema.name, schema.classPrefix);
  const readers = readersUsed(schema.fields);
  const imports = outputImports(outputs);
  const secretParts = fields.flatMap((field) => {
    if (field.isSecret) return [`self.${field.name}`];
    if (field.isSecretDict) return [field.optional ? `*(self.${field.name} or {}).values()` : `*self.${field.name}.values()`];
    return [];
  });
  return {
    tool: { name: "create-flyte-task", version: toolVersion() },
    plugin,
    schema,
    isSql: schema.kind === "sql",
    fields,
    dataclassFields: [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)],
    aliases: schema.fields.flatMap((field) => (field.aliases ?? []).map((alias) => ({ alias, name: field.name }))),
    requiredFields: fields.filter((f) => f.required),
    outputs,
    outputImports: imports,
    ...pythonImports(schema, fields, outputs, plugin, readers, imports),
    dataclassOutputs: outputs.filter((output) => output.className !== undefined),
    sqlOutputName: SQL_OUTPUT_NAME,
    configExample: `${plugin.configClass}(${fields.filter((f) => f.required).map((f) => `${f.name}=${f.sample}`).join(", ")})`,
    readers,
    defaultedFields: fields.filter((f) => !f.required),
    secrets:
      secretParts.length === 0
        ? null
        : {
            // One dict of secrets alone reads better as list(...values()).
            list: secretParts.length === 1 && secretParts[0]!.startsWith("*") ? `list(${secretParts[0]!.slice(1)})` : `[${secretParts.join(", ")}]`,
            mayBeNone: fields.some((field) => field.isSecret && field.optional),
          },
    firstJsonField: fields.find((field) => field.isJson) ?? null,
    requiredJson: fields.some((field) => field.isJson && field.required),
    firstChoiceField: fields.find((field) => field.isChoice) ?? null,
    secretFields: fields.filter((field) => field.isSecret || field.isSecretDict),
    secretEnvironment: secretEnvironment(schema.fields),
    firstIntField: fields.find((field) => field.type === "int")?.name ?? null,
    // A FlyteSchema result is a pandas DataFrame stored as Parquet, hence pyarrow.
    pythonDependencies: [
      `flytekit${versions.flytekitRange}`,
      ...(schema.kind === "sql" || imports.pandas ? [`pandas${versions.pandas}`, `pyarrow${versions.pyarrow}`] : []),
      ...(schema.example === "sqlalchemy" ? [`sqlalchemy${versions.sqlalchemy}`] : []),
    ],
    // The parity tests compare with the upstream plugin.
    testDependencies: schema.example === "sqlalchemy" ? [`flytekitplugins-sqlalchemy${versions.flytekitRange}`] : [],
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
  json: (value: unknown) => visibleJson(value),
  /** Whether any argument is truthy (a non-empty list counts): `{{#if (or a b)}}`. */
  or: (...args: unknown[]) => args.slice(0, -1).some((arg) => (Array.isArray(arg) ? arg.length > 0 : Boolean(arg))),
  /** Text that stays one Markdown list item and renders exactly as given. */
  markdownLine: (text: unknown) => markdownText(String(text)),
  markdownCode: (text: unknown) => markdownCodeSpan(String(text)),
  /** Names for one `from x import ...`, in isort's order: constants, classes, then the rest. */
  imports: (...args: unknown[]) => sortImportNames(args.slice(0, -1).map(String)).join(", "),
};

/** Characters that mean something inline in Markdown (GFM tables and strikethrough included). */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~&]/g;

/**
 * User text as one line of Markdown that renders to exactly that text: special characters
 * backslash-escaped, and line breaks, other control characters and bidirectional marks as
 * numeric character references, so the README's source shows no invisible reordering and a
 * newline cannot end the list item.
 */
export function markdownText(text: string): string {
  return [...text.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`)].map((char) => (isInvisibleChar(char.codePointAt(0)!) ? `&#x${char.codePointAt(0)!.toString(16).toUpperCase()};` : char)).join("");
}


/** An inline code span holding `text` exactly: its fence is longer than any backtick run inside. */
export function markdownCodeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each end when both are there, and a backtick at an end would join the fence.
  const pad = /^`|`$/.test(text) || (/^ .* $/s.test(text) && text.trim() !== "") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

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
