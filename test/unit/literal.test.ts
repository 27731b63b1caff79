import { describe, expect, it } from "vitest";
import { parseLiteral } from "../../src/literal.js";
import { pyDocstringBody, pyLiteral, pyString } from "../../src/python.js";

describe("literals written as in Python or JSON", () => {
  it.each([
    ["3", 3],
    ["-2.5e3", -2500],
    ["True", true],
    ["false", false],
    ["None", null],
    ['"a\\"b"', 'a"b'],
    ["'it\\'s'", "it's"],
    ['["a", \'b\']', ["a", "b"]],
    ['{"k": [1, 2], \'j\': {}}', { k: [1, 2], j: {} }],
    ["[1, 2,]", [1, 2]],
  ])("parses %s", (text, value) => {
    expect(parseLiteral(text)).toEqual(value);
  });

  it("keeps a __proto__ key as data", () => {
    expect(Object.keys(parseLiteral('{"__proto__": 1, "b": 2}') as object)).toEqual(["__proto__", "b"]);
  });

  it.each(["abc", "[1", '{"a" 1}', "1 2", "[None]"])("refuses %s", (text) => {
    expect(() => parseLiteral(text)).toThrow();
  });
});

describe("Python source", () => {
  it("writes strings that hold exactly the text", () => {
    expect(pyString('say "hi"\\\n\t{{ x }} é')).toBe('"say \\"hi\\"\\\\\\n\\t{{ x }} é"');
    expect(pyString("\u0000\u007f")).toBe('"\\x00\\x7f"');
  });

  it("keeps docstrings on one line with every quote escaped", () => {
    expect(pyDocstringBody('say "hi"')).toBe('say "hi\\"');
    expect(pyDocstringBody('a """triple""" \\ b\nc')).toBe('a \\"\\""triple\\"\\"" \\\\ b\\nc');
  });

  it("writes floats of float fields with a decimal point", () => {
    expect(pyLiteral([1, 2.5], true)).toBe("[1.0, 2.5]");
    expect(pyLiteral({ a: 3 }, false)).toBe('{"a": 3}');
    expect(pyLiteral(1e21, true)).toBe("1e21");
  });
});
