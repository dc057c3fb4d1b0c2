/** How poll numbers read in Norwegian, in one place for the slide, its text equivalent and the phone. */

const numbers = new Intl.NumberFormat('nb-NO')
const oneDecimal = new Intl.NumberFormat('nb-NO', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** «1 stemme», «12 stemmer». */
export function votesLabel(count: number): string {
  return `${numbers.format(count)} ${count === 1
    ? 'stemme'
    : 'stemmer'}`
}

/** Whole percent of `total`; 0 when nobody has voted. */
export function percentOf(count: number, total: number): number {
  return total > 0
    ? Math.round((count / total) * 100)
    : 0
}

/** «40 %»: Norwegian puts a (non-breaking) space before the sign. */
export function percentLabel(percent: number): string {
  return `${percent}\u00A0%`
}

/** «Ja: 12 stemmer (40 %)», the text a chart stands for. */
export function tallyText(label: string, count: number, total: number): string {
  return `${label}: ${votesLabel(count)} (${percentLabel(percentOf(count, total))})`
}

/** The mean of a scale's tallies (keyed by value), or undefined when nobody has voted. */
export function scaleMean(tallies: Record<string, number>): number | undefined {
  let sum = 0
  let count = 0
  for (const [value, votes] of Object.entries(tallies)) {
    sum += Number(value) * votes
    count += votes
  }
  return count > 0
    ? sum / count
    : undefined
}

/** «3,4» */
export function decimalLabel(value: number): string {
  return oneDecimal.format(value)
}

const longDate = new Intl.DateTimeFormat('nb-NO', { day: 'numeric', month: 'long', year: 'numeric' })

/** «14. august 2027»; from epoch milliseconds or an ISO date. */
export function dateLabel(when: number | string): string {
  return longDate.format(new Date(when))
}

/** «1 løft», «12 løft»: how many lifted an idea. */
export function liftsLabel(count: number): string {
  return `${numbers.format(count)} løft`
}

/** «1 idé», «4 idéer». */
export function ideasLabel(count: number): string {
  return `${numbers.format(count)} ${count === 1
    ? 'idé'
    : 'idéer'}`
}

/** «1 person», «3 personer». */
export function peopleLabel(count: number): string {
  return `${numbers.format(count)} ${count === 1
    ? 'person'
    : 'personer'}`
}
