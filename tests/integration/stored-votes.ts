/**
 * The live votes a store holds (the current session, the poll's current round), read straight from its database
 * (not through the server): voter → tally keys.
 */
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { parseStoredItems } from '../../server/store/redis.ts'

export function sqliteVotes(dbFile: string, pollId: string): Map<string, string[]> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    const live = `session_id = (SELECT max(id) FROM sessions) AND poll_id = @poll
      AND round = (SELECT round FROM session_poll_state s WHERE s.session_id = (SELECT max(id) FROM sessions) AND s.poll_id = @poll)`
    const votes = new Map<string, string[]>()
    const voters = db.prepare<[{ poll: string }], { voter_id: string }>(`SELECT voter_id FROM session_votes WHERE ${live}`).all({ poll: pollId })
    for (const { voter_id } of voters)
      votes.set(voter_id, [])
    const rows = db.prepare<[{ poll: string }], { voter_id: string, item: string }>(
      `SELECT voter_id, item FROM session_vote_items WHERE ${live} ORDER BY voter_id, item`,
    ).all({ poll: pollId })
    for (const row of rows)
      votes.get(row.voter_id)!.push(row.item)
    return votes
  }
  finally {
    db.close()
  }
}

export async function redisVotes(url: string, pollId: string, prefix = 'samskaping:'): Promise<Map<string, string[]>> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    const session = await redis.get(`${prefix}session:current`)
    const state = await redis.hget(`${prefix}s:${session}:states`, pollId)
    const round = state
      ? (JSON.parse(state) as { round?: number }).round ?? 0
      : 0
    const stored = await redis.hgetall(`${prefix}s:${session}:poll:${pollId}:r${round}:votes`)
    return new Map(Object.entries(stored).map(([voter, items]) => [
      voter,
      parseStoredItems(items),
    ]))
  }
  finally {
    redis.disconnect()
  }
}
