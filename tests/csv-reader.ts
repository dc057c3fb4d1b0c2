/**
 * Reads CSV as a spreadsheet does when its list separator is `separator` (`,`, or `;` in Excel with Norwegian
 * settings): quoted cells may hold separators, quotes and line breaks; everything else splits.
 */
export function readCsv(text: string, separator: ',' | ';'): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"'
        index++
      }
      else if (char === '"') {
        quoted = false
      }
      else {
        cell += char
      }
    }
    else if (char === '"' && cell === '') {
      quoted = true
    }
    else if (char === separator) {
      row.push(cell)
      cell = ''
    }
    else if (char === '\r' && text[index + 1] === '\n') {
      rows.push([...row, cell])
      row = []
      cell = ''
      index++
    }
    else {
      cell += char
    }
  }
  if (cell !== '' || row.length > 0)
    rows.push([...row, cell])
  return rows
}

/** A cell a spreadsheet would run as a formula: it starts with = + - @ and is not a plain number. */
export function isFormulaCell(cell: string): boolean {
  return /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) && !/^[+-]?\d+(?:[.,]\d+)?$/.test(cell.trim())
}
