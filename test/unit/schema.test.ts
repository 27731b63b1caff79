import { describe, expect, it } from "vitest";
import { deriveNames, parseFieldSpec, parseOutput, SchemaError, validateSchema, type RawSchema } from "../../src/schema.js";

const base: RawSchema = { name: "acme-query", taskType: "acme_query", image: "localhost:30000/flytekitplugins-acme-query:0.1.0" };

function errorOf(raw: RawSchema): string {
  try {
    validateSchema(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as Error).message;
  }
  throw new Error("expected a SchemaError");
}

describe("names", () => {
  it("derives the distribution, module and classes from the plugin name", () => {
    expect(deriveNames("acme-query")).toEqual({
      name: "acme-query",
      distribution: "flytekitplugins-acme-query",
      module: "acme_query",
      importPath: "flytekitplugins.acme_query",
      classPrefix: "AcmeQuery",
      configClass: "AcmeQueryConfig",
      taskClass: "AcmeQueryTask",
      executorClass: "AcmeQueryExecutor",
    });
  });

  it.each([
    ["", "empty"],
    ["Acme", "lower-case"],
    ["acme query", "lower-case"],
    ["../acme", "lower-case"],
    ["acme/query", "lower-case"],
    ["9acme", "starting with a letter"],
    ["acme--query", "single hyphens"],
    ["acme-", "single hyphens"],
    ["class", "Python keyword"],
  ])("refuses the plugin name %j", (name, rule) => {
    expect(errorOf({ ...base, name })).toContain(rule);
  });
});

describe("task type", () => {
  it.each(["sqlite", "spark", "python-task", "container"])("refuses the taken task type %s", (taskType) => {
    expect(errorOf({ ...base, taskType })).toBe(`task type "${taskType}" is already taken by flytekit or a backend plugin: choose another`);
  });

  it.each(["Acme", "9x", "a b", ""])("refuses the malformed task type %j", (taskType) => {
    expect(errorOf({ ...base, taskType })).toContain("[a-z][a-z0-9_-]*");
  });
});

describe("image", () => {
  it.each([
    "localhost:30000/flytekitplugins-acme-query:0.1.0",
    "ghcr.io/flyteorg/flytekit:py3.11-1.16.31",
    "python",
    "registry.example.com/team/image@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "{{.image.default.fqn}}:v1",
  ])("accepts %s", (image) => {
    expect(validateSchema({ ...base, image }).image).toBe(image);
  });

  it.each(["Upper/Case", "image:", "has space:1", "image::tag", "-bad/image", "a//b"])("refuses %j", (image) => {
    expect(errorOf({ ...base, image })).toContain(`container image "${image}" is invalid`);
  });
});

describe("fields", () => {
  it.each([
    ["1st", "Python identifier"],
    ["has-dash", "Python identifier"],
    ["_private", 'must not start with "_"'],
    ["lambda", "Python keyword"],
    ["name", "reserved"],
    ["task_config", "reserved"],
    ["inputs", "reserved"],
    ["container_image", "reserved"],
    ["to_custom", "reserved"],
    ["field", "reserved"],
    // The config's secrets() method, and a name its class body reads.
    ["secrets", "reserved"],
    ["Secret", "reserved"],
  ])("refuses the field name %j", (name, rule) => {
    expect(errorOf({ ...base, fields: [{ name, type: "str" }] })).toContain(rule);
  });

  it("refuses query_template for the sql kind only", () => {
    expect(errorOf({ ...base, kind: "sql", fields: [{ name: "query_template", type: "str" }] })).toContain("(sql kind)");
    expect(validateSchema({ ...base, fields: [{ name: "query_template", type: "str" }] }).fields).toHaveLength(1);
  });

  it("refuses text that is not valid Unicode (a lone surrogate has no UTF-8 encoding)", () => {
    expect(errorOf({ ...base, fields: [{ name: "a", type: "str", default: "\ud800" }] })).toContain("is not a valid str");
    expect(errorOf({ ...base, fields: [{ name: "a", type: "str", description: "x\udc00" }] })).toContain("is not text");
  });

  it("refuses a repeated field", () => {
    expect(errorOf({ ...base, fields: [{ name: "a", type: "str" }, { name: "a", type: "int" }] })).toBe('field "a" is defined twice: field names must be unique');
  });

  it("refuses an unknown type, naming the allowed ones", () => {
    expect(errorOf({ ...base, fields: [{ name: "a", type: "tuple" }] })).toMatch(/^field "a" has unknown type "tuple": it must be one of str, int, float/);
  });

  it.each([
    ["int", 1.5],
    ["int", true],
    ["float", "1"],
    ["bool", 0],
    ["str", 3],
    ["list[int]", [1, "2"]],
    ["dict[str,str]", ["a"]],
    ["dict[str,float]", { a: "x" }],
  ])("refuses a %s default of %j", (type, value) => {
    expect(errorOf({ ...base, fields: [{ name: "a", type, default: value }] })).toContain(`is not a valid ${type}`);
  });
});

describe("outputs", () => {
  it("reads the older single output, a list of outputs and the config's outputs object alike", () => {
    const expected = [{ name: "rows", type: "list[int]" }];
    expect(validateSchema({ ...base, output: { name: "rows", type: "list[int]" } }).outputs).toEqual(expected);
    expect(validateSchema({ ...base, output: [{ name: "rows", type: "list[ int ]" }] }).outputs).toEqual(expected);
    expect(validateSchema({ ...base, outputs: { rows: { type: "list[int]" } } }).outputs).toEqual(expected);
    expect(validateSchema(base).outputs).toEqual([{ name: "result", type: "str" }]);
  });

  it("takes every type flytekit carries, several of them", () => {
    const types = ["str", "int", "float", "bool", "datetime", "timedelta", "list[int]", "dict[str,float]", "file", "directory", "dataframe", "structured-dataset"];
    const outputs = Object.fromEntries(types.map((type, index) => [`out${index}`, { type }]));
    expect(validateSchema({ ...base, outputs }).outputs.map((output) => output.type)).toEqual(types);
  });

  it("reads a dataclass output from the config file and from the command line's spelling alike", () => {
    const expected = [{ name: "summary", type: "dataclass", fields: [{ name: "label", type: "str" }, { name: "counts", type: "list[int]" }, { name: "report", type: "file" }] }];
    expect(validateSchema({ ...base, outputs: { summary: { type: "dataclass", fields: { label: "str", counts: "list[ int ]", report: "file" } } } }).outputs).toEqual(expected);
    expect(validateSchema({ ...base, output: [parseOutput("summary:dataclass(label:str|counts:list[int]|report:file)")] }).outputs).toEqual(expected);
  });

  it.each([
    [{ outputs: { s: { type: "dataclass" } } }, "needs fields"],
    [{ outputs: { s: { type: "dataclass", fields: {} } } }, "needs fields"],
    [{ outputs: { s: { type: "dataclass", fields: { _hidden: "int" } } } }, 'must not start with "_"'],
    [{ outputs: { s: { type: "dataclass", fields: { "1a": "int" } } } }, "must be a Python identifier"],
    [{ outputs: { s: { type: "dataclass", fields: { class: "int" } } } }, "Python keyword"],
    [{ outputs: { s: { type: "dataclass", fields: { frame: "dataframe" } } } }, "has unknown type"],
    [{ outputs: { s: { type: "dataclass", fields: { inner: "dataclass" } } } }, "has unknown type"],
    [{ outputs: { s: { type: "int", fields: { a: "int" } } } }, "only a dataclass output takes them"],
    [{ outputs: { s: { type: "dataclass(a:int)", fields: { a: "int" } } } }, "declares its fields twice"],
    [{ outputs: { s: { type: "dataclass(a)" } } }, "is malformed"],
  ])("refuses the dataclass output %j", (raw, message) => {
    expect(errorOf({ ...base, ...raw })).toContain(message);
  });

  it.each([
    [{ outputs: { count: { type: "int" } } }, "is reserved"],
    [{ outputs: { _rows: { type: "int" } } }, 'must not start with "_"'],
    [{ outputs: { rows: { type: "list[list[int]]" } } }, "has unknown type"],
    [{ outputs: {} }, "at least one output"],
    [{ output: [{ name: "a", type: "int" }, { name: "a", type: "str" }] }, "defined twice"],
    [{ kind: "sql", outputs: { rows: { type: "int" } } }, "fixed for the sql kind"],
  ])("refuses %j", (raw, message) => {
    expect(errorOf({ ...base, ...raw })).toContain(message);
  });
});

describe("field specs", () => {
  it.each([
    ["retries:int", { name: "retries", type: "int" }],
    ["retries:int=3", { name: "retries", type: "int", default: 3 }],
    ["dry_run:bool=false", { name: "dry_run", type: "bool", default: false }],
    ["dry_run:bool=True", { name: "dry_run", type: "bool", default: true }],
    ["ratio:float=0.5", { name: "ratio", type: "float", default: 0.5 }],
    ["timeout:float=none", { name: "timeout", type: "float", default: null }],
    ['tags:list[str]=["a","b"]', { name: "tags", type: "list[str]", default: ["a", "b"] }],
    ["tags:list[str]=['a', 'b']", { name: "tags", type: "list[str]", default: ["a", "b"] }],
    ['limits:dict[str, int]={"rows": 10}', { name: "limits", type: "dict[str,int]", default: { rows: 10 } }],
    ["greeting:str=hello world", { name: "greeting", type: "str", default: "hello world" }],
    ['greeting:str="none"', { name: "greeting", type: "str", default: "none" }],
    ["sep:str==", { name: "sep", type: "str", default: "=" }],
  ])("parses %s", (spec, field) => {
    expect(parseFieldSpec(spec)).toEqual(field);
  });

  it.each([
    ["retries:int=abc", "is not a valid int"],
    ["flag:bool=maybe", "is not a valid bool"],
    ["tags:list[str]=[1,", "is not a valid list[str]"],
    ["nocolon", "malformed"],
  ])("refuses %s", (spec, message) => {
    expect(() => {
      const field = parseFieldSpec(spec);
      validateSchema({ ...base, fields: [field] });
    }).toThrow(message);
  });
});

describe("secret, json and choice fields", () => {
  it.each([
    ["mode:choice(read|write)=read", { name: "mode", type: "choice", choices: ["read", "write"], default: "read" }],
    ["mode:choice( read | write )", { name: "mode", type: "choice", choices: ["read", "write"] }],
    ["password:secret", { name: "password", type: "secret" }],
    ['password:secret={"group":"db","key":"password"}', { name: "password", type: "secret", default: { group: "db", key: "password" } }],
    ["args:dict[str,secret]={}", { name: "args", type: "dict[str,secret]", default: {} }],
    ['connect_args:json={"timeout": 5, "x": [null]}', { name: "connect_args", type: "json", default: { timeout: 5, x: [null] } }],
  ])("parses %s", (spec, field) => {
    expect(parseFieldSpec(spec)).toEqual(field);
    expect(validateSchema({ ...base, fields: [parseFieldSpec(spec)] }).fields[0]).toEqual(field);
  });

  it.each([
    ["mode:choice(read|write)=delete", 'is not a valid choice (one of "read", "write")'],
    ["mode:choice(read|read)", "lists a choice twice"],
    ["mode:choice()", "has choice"],
    ['password:secret="hunter2"', "never the value"],
    ['password:secret={"group":"db","mount_requirement":"DISK"}', "is not a valid secret"],
    ['args:dict[str,secret]={"password":"hunter2"}', "is not a valid dict[str,secret]"],
  ])("refuses %s", (spec, message) => {
    expect(() => validateSchema({ ...base, fields: [parseFieldSpec(spec)] })).toThrow(message);
  });

  it("refuses choices on another type, and a choice without them", () => {
    expect(errorOf({ ...base, fields: [{ name: "mode", type: "str", choices: ["a"] }] })).toContain("only a choice has them");
    expect(errorOf({ ...base, fields: [{ name: "mode", type: "choice" }] })).toContain("has no choices");
  });

  it("checks an example against the field's type", () => {
    expect(validateSchema({ ...base, fields: [{ name: "uri", type: "str", example: "sqlite:///db" }] }).fields[0]?.example).toBe("sqlite:///db");
    expect(errorOf({ ...base, fields: [{ name: "retries", type: "int", example: "3" }] })).toContain('example of field "retries": "3" is not a valid int');
  });

  it("takes a class prefix, and derives the classes from it", () => {
    expect(validateSchema({ ...base, classPrefix: "SQLAlchemy" }).classPrefix).toBe("SQLAlchemy");
    expect(deriveNames("sqlalchemy-query", "SQLAlchemy").configClass).toBe("SQLAlchemyConfig");
    expect(errorOf({ ...base, classPrefix: "sql_alchemy" })).toContain("class prefix");
  });
});
