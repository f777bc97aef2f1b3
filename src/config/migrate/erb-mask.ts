// ERB tags are not YAML: `<% if ENV["CI"] %>` on its own line is a syntax error and `<%= ENV["HOST"] %>` would be
// read as a string with a meaning we must not change. Before the YAML is parsed for editing, each tag becomes a
// placeholder that is valid YAML where the tag stood, and after editing every placeholder is put back verbatim.

export type MaskedErb = {
  /** the text with every tag replaced by a placeholder */
  readonly text: string;
  /** puts the original tags back into (edited) text */
  readonly unmask: (edited: string) => string;
  /** the original tags inside a value read from the masked text, for messages */
  readonly show: (value: string) => string;
};

export function maskErb(source: string): MaskedErb {
  const stem = uniqueStem(source);
  const tags: string[] = [];
  const placeholder = (i: number) => `${stem}${i}_`;
  let text = "";
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf("<%", pos);
    const close = open === -1 ? -1 : source.indexOf("%>", open + 2);
    if (open === -1 || close === -1) break;
    if (source.startsWith("<%%", open)) {
      text += source.slice(pos, open + 3);
      pos = open + 3;
      continue;
    }
    const tag = source.slice(open, close + 2);
    const lineStart = source.lastIndexOf("\n", open - 1) + 1;
    const lineEnd = source.indexOf("\n", close);
    const aloneOnLine = /^[ \t]*$/.test(source.slice(lineStart, open)) && /^[ \t]*$/.test(source.slice(close + 2, lineEnd === -1 ? undefined : lineEnd));
    tags.push(tag);
    // A logic tag alone on its line (`<% if ... %>`, `<% end %>`) becomes a comment, so the YAML around it parses.
    text += source.slice(pos, open) + (aloneOnLine && !tag.startsWith("<%=") ? `#${placeholder(tags.length - 1)}` : placeholder(tags.length - 1));
    pos = close + 2;
  }
  text += source.slice(pos);
  const restore = (edited: string, fromComment: boolean) =>
    edited.replace(new RegExp(`${fromComment ? "#" : ""}${stem}(\\d+)_`, "g"), (_, i: string) => tags[Number(i)] ?? "");
  return {
    text,
    unmask: (edited) => restore(restore(edited, true), false),
    show: (value) => restore(value, false),
  };
}

/** A placeholder stem that does not occur in the file, so restoring never touches the user's own text. */
function uniqueStem(source: string): string {
  let stem = "ERB_TAG_";
  while (source.includes(stem)) stem = `X${stem}`;
  return stem;
}
