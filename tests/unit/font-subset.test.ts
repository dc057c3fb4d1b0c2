import { describe, expect, it } from 'vitest'
import { DECK_SUBSET, subsetCharacters } from '../../plugins/subset-fonts.ts'
import { polls } from '../../snippets/polls.ts'
import { voteFontSubset } from '../../vote/font-subset.ts'

describe('font subsets', () => {
  const vote = new Set(subsetCharacters(voteFontSubset))

  it('give the voting page Norwegian letters and every character of the talk\'s polls', () => {
    for (const char of 'æøåÆØÅ«»–')
      expect(vote.has(char), char).toBe(true)
    const pollText = polls.flatMap(poll => [
      poll.question,
      ...('options' in poll
        ? poll.options.map(option => option.label)
        : []),
    ]).join('')
    expect([...pollText].filter(char => !vote.has(char))).toEqual([])
  })

  it('leave out the symbols of the voting page\'s source code, which the page never shows', () => {
    for (const char of '{}<>[]`$^|~\\')
      expect(vote.has(char), char).toBe(false)
  })

  it('keep the deck\'s Latin-1 letters for names in the audience\'s answers', () => {
    const deck = new Set(subsetCharacters(DECK_SUBSET))
    for (const char of 'ÄÖÜßéñç{}')
      expect(deck.has(char), char).toBe(true)
  })
})
