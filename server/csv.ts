const UTF8_BOM = '\uFEFF'

/** = + - @ and their full-width forms (which Excel maps to them in some locales) start a formula. */
const FORMULA_CHARS = '=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20'
/** At the start of a cell, also after spaces; a tab, CR or LF first is refused by the same apostrophe. */
const FORMULA_START = new RegExp(`^(?:\\s*[${FORMULA_CHARS}]|[\\t\\r\\n])`)
/**
 * The file separates cells with `,`, and a reader that does so honours our quotes. A reader set to `;` or tab
 * (Excel with Norwegian settings) splits inside a quoted cell instead, so text after each `;` or tab in a cell
 * may become a cell of its own: it is neutralised too.
 */
const FORMULA_AFTER_SPLIT = new RegExp(`([;\\t][\\s"]*)(?=[${FORMULA_CHARS}])`, 'g')

/**
 * One CSV cell. Every text cell is quoted, and typed text that could start a formula, at its start or after a
 * `;`, gets an apostrophe before it so every spreadsheet keeps it as text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number')
    return String(value)
  const safe = (FORMULA_START.test(value)
    ? `'${value}`
    : value).replace(FORMULA_AFTER_SPLIT, '$1\'')
  return `"${safe.replace(/"/g, '""')}"`
}

/** RFC 4180 CSV with CRLF line ends and a BOM, so Excel opens æøå correctly. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `${UTF8_BOM + rows.map(row => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
