/**
 * Line endings and byte-order marks, kept per file. Merges and edits work on normalized text
 * (LF, no BOM), the form templates produce and `.flyte-task/base/` keeps; what is written back
 * to a user's file takes that file's own endings and BOM (git's `core.autocrlf` checks files
 * out in CRLF, and a whole-file change of endings would be one big conflict).
 */

export interface TextStyle {
  readonly bom: boolean;
  readonly crlf: boolean;
}

export const PLAIN: TextStyle = { bom: false, crlf: false };

/** The style of a file: CRLF when most of its line breaks are CRLF. */
export function styleOf(text: string): TextStyle {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = text.match(/\n/g)?.length ?? 0;
  return { bom: text.startsWith("\uFEFF"), crlf: crlf > 0 && crlf * 2 >= lf };
}

/** LF endings, no BOM. */
export function normalize(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
}

/** Normalized text in the given style. */
export function restyle(text: string, style: TextStyle): string {
  const body = style.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
  return style.bom ? `\uFEFF${body}` : body;
}

/** Whether two texts are the same but for endings and BOM. */
export function sameText(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && normalize(a) === normalize(b));
}
