/**
 * Issue 8 point 6, text the user controls: control and bidirectional characters are escaped in
 * the generated Python (ruff's PLE2502 passes), and Markdown specials cannot break the README:
 * parsed as Markdown, the README's field line holds exactly the user's text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { expect, it } from "vitest";
import { pyLiteral } from "../../src/python.js";
import { runBin } from "../support/cli.js";
import { generate, ruff, venvTool, workDir } from "../support/plugin.js";

const DEFAULT = "a`b``c \u202eevil\u2066 *x* <b> | [d](e) # f\u200f\u061c";
const DESCRIPTION = "# Not a heading: `tick` *star* _under_ <i>tag</i> | pipe [link](x) \\ back\u202e\u2069\nnext line &amp; ~~s~~";

interface MdNode {
  readonly type: string;
  readonly value?: string;
  readonly children?: readonly MdNode[];
}

/** A node's text as a reader sees it: code spans and text, in order. */
function textOf(node: MdNode): string {
  if (node.type === "inlineCode") return `\`${node.value}\``;
  if (node.value !== undefined) return node.value;
  return (node.children ?? []).map(textOf).join("");
}

function listItems(node: MdNode): MdNode[] {
  if (node.type === "listItem") return [node];
  return (node.children ?? []).flatMap(listItems);
}

/** prettier's internal parse entry point: not in its public types, but stable across 3.x. */
function markdownParser(): { parse(text: string, options: { parser: string }): Promise<{ ast: MdNode }> } {
  return (prettier as unknown as { __debug: ReturnType<typeof markdownParser> }).__debug;
}

it("escapes bidi characters in Python and Markdown specials in the README", async () => {
  const plugin = await generate(workDir("cft-text-"), ["acme", "--field", `motto:str=${DEFAULT}`, "--description", `motto=${DESCRIPTION}`]);
  const bidi = await venvTool("ruff", ["check", "--no-cache", "--extend-select", "PLE2502", "."], plugin);
  expect(bidi.status, bidi.output).toBe(0);
  const lint = await ruff(plugin);
  expect(lint.status, lint.output).toBe(0);
  const config = readFileSync(join(plugin, "flytekitplugins/acme/config.py"), "utf8");
  expect(config).toContain("\\u202e");
  expect(config).not.toMatch(/[\u202e\u2066\u2069\u200f\u061c]/);
  const configTs = readFileSync(join(plugin, "flyte-task.config.ts"), "utf8");
  expect(configTs).not.toMatch(/[\u202e\u2066\u2069\u200f\u061c]/);
  const check = await runBin("flyte-task", ["check"], plugin);
  expect(check.status, check.stderr).toBe(0);
  const readme = readFileSync(join(plugin, "README.md"), "utf8");
  expect(readme).not.toMatch(/[\u202e\u2066\u2069\u200f\u061c]/);
  // The Markdown AST prettier formats with (remark): escapes and references resolved.
  const { ast } = await markdownParser().parse(readme, { parser: "markdown" });
  const item = listItems(ast).map(textOf).find((text) => text.startsWith("`motto`"));
  expect(item).toBe(`\`motto\` (\`str\`, default \`${pyLiteral(DEFAULT)}\`): ${DESCRIPTION}`);
  // Nothing else in the README changed shape: the same headings as a plain plugin.
  const headings = (ast.children ?? []).filter((node) => node.type === "heading").map(textOf);
  expect(headings).toContain("Config fields");
  expect(headings).not.toContain("Not a heading: `tick` *star* _under_ <i>tag</i> | pipe [link](x) \\ back");
});
