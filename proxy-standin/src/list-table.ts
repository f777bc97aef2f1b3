// `kamal-proxy list` output, byte for byte (internal/cmd/formatting.go): every cell wrapped in an ANSI style
// (italic bright blue header, bold blue first column, ESC[m otherwise), padded to the column width in bytes,
// then two spaces, even after the last column. Colours are printed whether or not stdout is a terminal.
import type { ListRow } from "./router.ts";

const HEADER = "3;94";
const FIRST_COLUMN = "1;34";
const PLAIN = "";

export function formatList(rows: readonly ListRow[]): string {
  const table = [
    ["Service", "Host", "Path", "Target", "State", "TLS"],
    ...[...rows]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((row) => [row.name, row.host, row.path, row.target, row.state, row.tls ? "yes" : "no"]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((cells) => Buffer.byteLength(cells[column] ?? "")))) ?? [];
  return table
    .map((cells, rowIndex) =>
      cells
        .map((cell, column) => {
          const style = rowIndex === 0 ? HEADER : column === 0 ? FIRST_COLUMN : PLAIN;
          const pad = " ".repeat((widths[column] ?? 0) - Buffer.byteLength(cell));
          return `\x1b[${style}m${cell}\x1b[0m${pad}  `;
        })
        .join(""),
    )
    .map((line) => `${line}\n`)
    .join("");
}
