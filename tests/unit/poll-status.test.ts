// @vitest-environment node
import type { PollDefinition } from '../../polls/types.ts'
import type { PollStateRecord } from '../../server/store/types.ts'
import { describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { WORD_CLOUD_MAX } from '../../polls/kinds/words/index.ts'
import { buildStatus } from '../../polls/status.ts'
import { csvCell, toCsv } from '../../server/csv.ts'
import { currentPollId } from '../../server/status.ts'
import { isFormulaCell, readCsv } from '../csv-reader.ts'
import { polls } from '../fixtures/polls.ts'

const open: PollStateRecord = {
  state: 'open',
  revealed: false,
  openedAt: 1,
  closedAt: null,
}

function poll(id: string): PollDefinition {
  return findPoll(polls, id)!
}

describe('buildStatus', () => {
  it('lists every option with zero for options nobody chose', () => {
    const status = buildStatus(poll('valg'), open, {
      total: 2,
      tallies: { ja: 2 },
    })
    expect(status).toEqual({
      id: 'valg',
      kind: 'choice',
      question: poll('valg').question,
      options: [
        { id: 'ja', label: 'Ja' },
        { id: 'delvis', label: 'Delvis' },
        { id: 'nei', label: 'Nei' },
      ],
      state: 'open',
      revealed: false,
      total: 2,
      tallies: { ja: 2, delvis: 0, nei: 0 },
    })
  })

  it('ignores stored items that are no longer options', () => {
    expect(buildStatus(poll('valg'), open, {
      total: 1,
      tallies: { gammel: 1 },
    }).tallies).toEqual({ ja: 0, delvis: 0, nei: 0 })
  })

  it('sends the quiz answer only once revealed', () => {
    const quiz = poll('quiz')
    expect(quiz).not.toHaveProperty('correct')
    expect(buildStatus(quiz, open, { total: 0, tallies: {} }, 'dugnad')).not.toHaveProperty('correct')
    expect(buildStatus(quiz, { ...open, revealed: true }, { total: 0, tallies: {} }, 'dugnad')).toMatchObject({ revealed: true, correct: 'dugnad' })
    expect(buildStatus(poll('valg'), { ...open, revealed: true }, { total: 0, tallies: {} }, 'ja')).toMatchObject({ revealed: false })
    expect(buildStatus(poll('valg'), { ...open, revealed: true }, { total: 0, tallies: {} }, 'ja')).not.toHaveProperty('correct')
  })

  it('lists the most frequent words first and at most WORD_CLOUD_MAX of them', () => {
    const tallies = Object.fromEntries(Array.from({ length: WORD_CLOUD_MAX + 20 }, (_, index) => [`ord ${index}`, index % 7 + 1]))
    const status = buildStatus(poll('ord'), open, { total: 500, tallies })
    const counts = Object.values(status.tallies)
    expect(counts).toHaveLength(WORD_CLOUD_MAX)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
    expect(status.distinctWords).toBe(WORD_CLOUD_MAX + 20)
    expect(status.options).toEqual([])
  })
})

describe('currentPollId', () => {
  it('is the most recently opened poll that is still open', () => {
    const states = new Map<string, PollStateRecord>([
      [
        'valg',
        { ...open, openedAt: 10 },
      ],
      [
        'skala',
        { ...open, openedAt: 30 },
      ],
      [
        'ord',
        { ...open, state: 'closed', openedAt: 50 },
      ],
      [
        'no-such-poll',
        { ...open, openedAt: 90 },
      ],
    ])
    expect(currentPollId(polls, states)).toBe('skala')
    expect(currentPollId(polls, new Map())).toBeNull()
  })
})

describe('cSV', () => {
  it.each([
    ['plain', '"plain"'],
    ['æøå', '"æøå"'],
    ['a,b', '"a,b"'],
    ['a;b', '"a;b"'],
    ['si "hei"', '"si ""hei"""'],
    ['to\nlinjer', '"to\nlinjer"'],
    ['=1+1', '"\'=1+1"'],
    ['+47', '"\'+47"'],
    ['-1', '"\'-1"'],
    ['@SUM(A1)', '"\'@SUM(A1)"'],
    ['\uFF1D1+1', '"\'\uFF1D1+1"'],
    [' =1+1', '"\' =1+1"'],
    ['\tx', '"\'\tx"'],
    ['=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    [' mellomrom', '" mellomrom"'],
    [42, '42'],
  ])('writes %j as %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected)
  })

  it('starts with a BOM and ends lines with CRLF', () => {
    expect(toCsv([
      ['id', 'stemmer'],
      ['ja', 3],
    ])).toBe('\uFEFF"id","stemmer"\r\n"ja",3\r\n')
  })

  const hostile = [
    ['id', 'svar', 'stemmer'],
    [';=1+1;', ';=1+1;', 2],
    ['a; "-2+3', 'a; "-2+3', 1],
    ['a,=2+2', 'a,=2+2', 1],
  ]

  it('gives a reader splitting on «,» the cells as written, with an apostrophe before what could start a formula', () => {
    expect(readCsv(toCsv(hostile).replace(/^\uFEFF/, ''), ',')).toEqual([
      ['id', 'svar', 'stemmer'],
      [';\'=1+1;', ';\'=1+1;', '2'],
      ['a; "\'-2+3', 'a; "\'-2+3', '1'],
      ['a,=2+2', 'a,=2+2', '1'],
    ])
  })

  it('gives a reader splitting on «;» (Excel with Norwegian settings) no formula cell', () => {
    const cells = readCsv(toCsv(hostile).replace(/^\uFEFF/, ''), ';').flat()
    expect(cells.length).toBeGreaterThan(hostile.length)
    expect(cells.filter(isFormulaCell)).toEqual([])
  })
})
