import { describe, expect, it } from "vitest";
import { ConfigError, editConfig, parseConfig } from "../../src/config-file.js";

const config = `import { defineTaskType } from "create-flyte-task";

// The schema.
export default defineTaskType({
  name: "acme-query",
  kind: "generic",
  taskType: "acme_query",
  image: "localhost:30000/flytekitplugins-acme-query:0.1.0",
  output: { name: "result", type: "str" },
  fields: {
    uri: { type: "str", description: "Where it is." }, // keep me
    retries: { type: "int", default: 3 },
    timeout: { type: "float", default: null },
    "tags": { type: "list[str]", default: ["a", \`b\`] },
    delta: { type: "int", default: -2 },
  },
});
`;

function errorOf(text: string): string {
  try {
    parseConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("reading flyte-task.config.ts", () => {
  it("reads plain literal data into the schema", () => {
    const schema = parseConfig(config);
    expect(schema.name).toBe("acme-query");
    expect(schema.fields).toEqual([
      { name: "uri", type: "str", description: "Where it is." },
      { name: "retries", type: "int", default: 3 },
      { name: "timeout", type: "float", default: null },
      { name: "tags", type: "list[str]", default: ["a", "b"] },
      { name: "delta", type: "int", default: -2 },
    ]);
  });

  it("reads floats written with an exponent, and a __proto__ key, as written", () => {
    const text = config.replace("delta: { type: \"int\", default: -2 },", 'tiny: { type: "float", default: 1e-7 },\n    huge: { type: "float", default: -1e21 },\n    odd: { type: "dict[str,int]", default: { "__proto__": 1 } },');
    const fields = parseConfig(text).fields;
    expect(fields.find((field) => field.name === "tiny")?.default).toBe(1e-7);
    expect(fields.find((field) => field.name === "huge")?.default).toBe(-1e21);
    expect(Object.keys(fields.find((field) => field.name === "odd")?.default as object)).toEqual(["__proto__"]);
  });

  it("points at a syntax error", () => {
    expect(errorOf(config.replace("retries: {", "retries: {{"))).toMatch(/^flyte-task\.config\.ts:12:\d+: syntax error/);
  });

  it("points at an unknown type", () => {
    expect(errorOf(config.replace('type: "int", default: 3', 'type: "integer", default: 3'))).toMatch(/^flyte-task\.config\.ts:12:16: field "retries" has unknown type "integer"/);
  });

  it("points at a bad default", () => {
    expect(errorOf(config.replace("default: 3", 'default: "three"'))).toBe('flyte-task.config.ts:12:29: default of field "retries": "three" is not a valid int (a whole number)');
  });

  it("refuses a spread, naming it", () => {
    expect(errorOf(config.replace("fields: {", "fields: {\n    ...common,"))).toMatch(/^flyte-task\.config\.ts:11:5: a spread \(\.\.\.\) \(\.\.\.common\) is not supported/);
  });

  it("refuses a function call", () => {
    expect(errorOf(config.replace('"acme_query"', 'taskTypeOf("acme")'))).toMatch(/^flyte-task\.config\.ts:7:13: a function call .* is not supported/);
  });

  it("refuses an import from another file", () => {
    expect(errorOf(`import x from "./shared";\n${config}`)).toMatch(/^flyte-task\.config\.ts:1:1: an import from another file/);
  });

  it("refuses an unknown key", () => {
    expect(errorOf(config.replace("kind:", "kinds:"))).toMatch(/^flyte-task\.config\.ts:6:3: unknown key "kinds"/);
  });
});

describe("editing flyte-task.config.ts", () => {
  it("renames a field, keeping comments and order, and records the old name as an alias", () => {
    const { text } = editConfig(config, { op: "rename", from: "uri", to: "address" });
    // ts-morph lays out the new property; the field command formats that range with prettier.
    expect(text.slice(0, text.indexOf("    address: {"))).toBe(config.slice(0, config.indexOf("    uri: {")));
    expect(text.slice(text.indexOf("// keep me"))).toBe(config.slice(config.indexOf("// keep me")));
    expect(parseConfig(text).fields.map((field) => field.name)).toEqual(["address", "retries", "timeout", "tags", "delta"]);
    expect(parseConfig(text).fields[0]).toMatchObject({ name: "address", aliases: ["uri"], description: "Where it is." });
    const back = editConfig(text, { op: "rename", from: "address", to: "uri" }).text;
    expect(parseConfig(back).fields[0]).toMatchObject({ name: "uri", aliases: ["address"] });
  });

  it("adds a field at the end", () => {
    const { text } = editConfig(config, { op: "add", field: { name: "ratio", type: "float", default: 0.5 } });
    expect(parseConfig(text).fields.at(-1)).toEqual({ name: "ratio", type: "float", default: 0.5 });
    expect(text).toContain("// keep me");
  });

  it("removes a field and retypes another", () => {
    const removed = editConfig(config, { op: "remove", name: "timeout" }).text;
    const retyped = editConfig(removed, { op: "retype", name: "retries", type: "float" }).text;
    const schema = parseConfig(retyped);
    expect(schema.fields.map((field) => field.name)).toEqual(["uri", "retries", "tags", "delta"]);
    expect(schema.fields[1]).toEqual({ name: "retries", type: "float", default: 3 });
  });
});
