import { describe, expect, it } from "vitest";
import { pyString } from "../../src/python.js";
import { markdownCodeSpan, markdownText } from "../../src/render.js";
import { numberTextProblem, parseDefaultText } from "../../src/schema.js";

describe("number rules, on the literal's text", () => {
  it.each([
    ["9223372036854775807", "cannot be kept exact"],
    ["9223372036854775808", "outside 64 bits"],
    ["-9223372036854775809", "outside 64 bits"],
    ["0xffffffffffffffffff", "outside 64 bits"],
    ["1e999", "not a finite float"],
    ["-1e400", "not a finite float"],
  ])("refuses %s", (text, rule) => {
    expect(numberTextProblem(text)).toContain(rule);
  });

  it.each(["9007199254740991", "-9007199254740991", "1e308", "1e-400", "2.5", "0x1f"])("keeps %s", (text) => {
    expect(numberTextProblem(text)).toBeUndefined();
  });

  it("names nesting deeper than the limit instead of overflowing the stack", () => {
    expect(() => parseDefaultText("[".repeat(100_000), "list[int]", "a")).toThrow(/nested deeper than 64 levels/);
    expect(() => parseDefaultText("[".repeat(100_000), "json", "a")).toThrow(/nested deeper than 64 levels/);
  });
});

describe("escaping", () => {
  it("writes bidirectional and invisible characters as escapes in Python", () => {
    expect(pyString("a\u202eb\u200f\u2066\u2069\u061c\u200e\u00ad\u0085")).toBe('"a\\u202eb\\u200f\\u2066\\u2069\\u061c\\u200e\\xad\\x85"');
  });

  it("escapes Markdown specials and writes hidden characters as references", () => {
    expect(markdownText("a*b `c` <d> |e| [f](g) \\ ~h~ &amp;")).toBe("a\\*b \\`c\\` \\<d\\> \\|e\\| \\[f\\](g) \\\\ \\~h\\~ \\&amp;");
    expect(markdownText("x\ny\u202e")).toBe("x&#xA;y&#x202E;");
  });

  it("fences a code span longer than any backtick run inside", () => {
    expect(markdownCodeSpan("plain")).toBe("`plain`");
    expect(markdownCodeSpan("a`b``c")).toBe("```a`b``c```");
    expect(markdownCodeSpan("`edge`")).toBe("`` `edge` ``");
  });
});
