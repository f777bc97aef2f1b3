// Splits an ERB template into text and tags with the rules of Ruby's ERB in trim mode "-" (what Kamal uses):
// `<%-` at the start of a line also removes the indentation before it, `-%>` followed by a newline also removes
// that newline, `<%%` is a literal `<%` and `%%>` inside a tag a literal `%>`. ERB does not understand Ruby here:
// the first `%>` ends a tag, even inside a string.

export type Segment =
  | { readonly kind: "text"; readonly text: string; readonly line: number }
  | {
      readonly kind: "code" | "output";
      readonly code: string;
      readonly line: number;
      readonly column: number;
      /** the tag sits after a `#` that starts its line: inside a YAML comment */
      readonly inComment: boolean;
    };

export class ErbSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

export function scan(template: string): Segment[] {
  const segments: Segment[] = [];
  let text = "";
  let textLine = 1;
  let pos = 0;
  // Offsets only grow, so lines are counted incrementally.
  let counted = { offset: 0, line: 1 };
  const lineAt = (offset: number) => {
    counted = { offset, line: counted.line + countNewlines(template, counted.offset, offset) };
    return counted.line;
  };
  const flushText = () => {
    if (text) segments.push({ kind: "text", text, line: textLine });
    text = "";
  };
  while (pos < template.length) {
    const open = template.indexOf("<%", pos);
    if (open === -1) {
      text += template.slice(pos);
      break;
    }
    text += template.slice(pos, open);
    if (template.startsWith("<%%", open)) {
      text += "<%";
      pos = open + 3;
      continue;
    }
    const marker = template[open + 2];
    if (marker === "-") {
      const lineStart = template.lastIndexOf("\n", open - 1) + 1;
      if (/^[ \t]*$/.test(template.slice(lineStart, open))) text = text.slice(0, text.length - (open - lineStart));
    }
    const close = findClose(template, open + 2);
    if (close === -1) {
      const line = lineAt(open);
      throw new ErbSyntaxError("unterminated ERB tag (no closing %>)", line, columnAt(template, open));
    }
    const bodyStart = open + (marker === "-" || marker === "=" || marker === "#" ? 3 : 2);
    const trimsNewline = template[close - 1] === "-" && close - 1 >= bodyStart;
    const code = template.slice(bodyStart, trimsNewline ? close - 1 : close).replaceAll("%%>", "%>");
    flushText();
    if (marker !== "#") {
      const lineStart = template.lastIndexOf("\n", open - 1) + 1;
      const inComment = /^[ \t]*#/.test(template.slice(lineStart, open));
      segments.push({ kind: marker === "=" ? "output" : "code", code, line: lineAt(open), column: columnAt(template, open), inComment });
    }
    pos = close + 2;
    if (trimsNewline && template.startsWith("\n", pos)) pos += 1;
    else if (trimsNewline && template.startsWith("\r\n", pos)) pos += 2;
    textLine = lineAt(pos);
  }
  flushText();
  return segments;
}

/** The `%>` that ends a tag, skipping `%%>` (a literal `%>` in the code). */
function findClose(template: string, from: number): number {
  let at = template.indexOf("%>", from);
  while (at > 0 && template[at - 1] === "%" && at - 1 >= from) at = template.indexOf("%>", at + 2);
  return at;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1) + 1;
}
