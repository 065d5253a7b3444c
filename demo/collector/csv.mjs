// CSV export (RFC 4180) that is safe to open in a spreadsheet: text cells starting with = + - @
// (or a tab / carriage return) get a leading apostrophe so they are never run as formulas.

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: null/undefined become empty, numbers stay as written, text is defused and quoted when needed. */
export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `columns` = [[header, (row) => value], ...]; a header row, then one CRLF-terminated line per row. */
export function toCsv(rows, columns) {
  const lines = [columns.map(([header]) => csvCell(header))];
  for (const row of rows) lines.push(columns.map(([, read]) => csvCell(read(row))));
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
