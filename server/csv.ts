const UTF8_BOM = '\uFEFF'

/**
 * One CSV cell. Free text typed by voters may start with a character a spreadsheet reads as a formula
 * (= + - @, or tab/CR); such cells get a leading apostrophe so they stay text.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number')
    return String(value)
  const safe = /^[=+\-@\t\r]/.test(value)
    ? `'${value}`
    : value
  return /[",\r\n]|^\s|\s$/.test(safe)
    ? `"${safe.replace(/"/g, '""')}"`
    : safe
}

/** RFC 4180 CSV with CRLF line ends and a BOM, so Excel opens æøå correctly. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `${UTF8_BOM + rows.map(row => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
