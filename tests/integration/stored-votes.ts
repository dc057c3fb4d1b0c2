/** The votes a store holds, read straight from its database (not through the server): voter → tally keys. */
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { parseStoredItems } from '../../server/store/redis.ts'

export function sqliteVotes(dbFile: string, pollId: string): Map<string, string[]> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true })
  try {
    const votes = new Map<string, string[]>()
    const voters = db.prepare<[string], { voter_id: string }>('SELECT voter_id FROM votes WHERE poll_id = ?').all(pollId)
    for (const { voter_id } of voters)
      votes.set(voter_id, [])
    const rows = db.prepare<[string], { voter_id: string, item: string }>(
      'SELECT voter_id, item FROM vote_items WHERE poll_id = ? ORDER BY voter_id, item',
    ).all(pollId)
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
    const stored = await redis.hgetall(`${prefix}poll:${pollId}:votes`)
    return new Map(Object.entries(stored).map(([voter, items]) => [
      voter,
      parseStoredItems(items),
    ]))
  }
  finally {
    redis.disconnect()
  }
}
