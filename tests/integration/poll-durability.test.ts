import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { rmSync } from 'node:fs'
import process from 'node:process'
import { afterEach, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { sqliteVotes } from './stored-votes.ts'

const NO_LIMITS = { POLL_RATE_LIMITS: 'off' }
const running: PollServer[] = []
const directories: string[] = []

afterEach(async () => {
  for (const server of running.splice(0))
    await server.stop({ keepDir: true })
  for (const dir of directories.splice(0))
    rmSync(dir, { recursive: true, force: true })
})

async function start(dir?: string): Promise<PollServer> {
  const server = await startPollServer({ dir, env: NO_LIMITS })
  running.push(server)
  directories.push(server.dir)
  return server
}

async function killAbruptly(server: PollServer): Promise<void> {
  await server.kill()
  running.splice(running.indexOf(server), 1)
}

async function openPoll(server: PollServer, pollId: string): Promise<void> {
  const response = await fetch(`${server.url}/api/polls/${pollId}/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${server.token}` },
    body: JSON.stringify({ state: 'open' }),
  })
  expect(response.status).toBe(200)
}

function vote(server: PollServer, pollId: string, voter: string, choice: unknown): Promise<Response> {
  return fetch(`${server.url}/api/polls/${pollId}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voter, choice }),
  })
}

async function status(server: PollServer, pollId: string): Promise<PollStatus> {
  return await (await fetch(`${server.url}/api/polls/${pollId}`)).json() as PollStatus
}

/** Runs `work` on every item with at most `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length)
      await work(items[next++]!)
  }))
}

describe('durability', () => {
  it('keeps every acknowledged vote, and only the latest per voter, after SIGKILL right after the acknowledgements', async () => {
    const first = await start()
    await openPoll(first, 'valg')
    await openPoll(first, 'flervalg')

    const options = ['ja', 'delvis', 'nei']
    const acknowledged = new Map<string, string>()
    const multi = new Map<string, string[]>()
    const voters = Array.from({ length: 200 }, (_, index) => `durable-voter-${index}`)
    await inParallel(voters, 25, async (voter) => {
      const choice = options[voters.indexOf(voter) % 3]!
      if ((await vote(first, 'valg', voter, choice)).status === 201)
        acknowledged.set(voter, choice)
    })
    // A quarter change their minds; the multi poll gets replaced option sets.
    await inParallel(voters.filter((_, index) => index % 4 === 0), 25, async (voter) => {
      if ((await vote(first, 'valg', voter, 'nei')).status === 201)
        acknowledged.set(voter, 'nei')
      const items = ['unge', 'forskere']
      if ((await vote(first, 'flervalg', voter, items)).status === 201)
        multi.set(voter, items)
      if ((await vote(first, 'flervalg', voter, ['fagfolk'])).status === 201)
        multi.set(voter, ['fagfolk'])
    })
    expect(acknowledged.size).toBe(200)
    await killAbruptly(first)

    const second = await start(first.dir)
    const counted = await status(second, 'valg')
    const expected = { ja: 0, delvis: 0, nei: 0 } as Record<string, number>
    for (const choice of acknowledged.values())
      expected[choice]!++
    expect(counted.state).toBe('open')
    expect(counted.total).toBe(200)
    expect(counted.tallies).toEqual(expected)
    expect((await status(second, 'flervalg')).tallies).toMatchObject({ unge: 0, forskere: 0, fagfolk: multi.size })

    const stored = sqliteVotes(second.dbFile, 'valg')
    for (const [voter, choice] of acknowledged)
      expect(stored.get(voter)).toEqual([choice])
  })

  it('keeps every acknowledged vote when killed in the middle of a vote storm', async () => {
    const first = await start()
    await openPoll(first, 'skala')

    const acknowledged = new Set<string>()
    const sent = new Set<string>()
    const storm = { raging: true }
    let counter = 0
    const senders = Array.from({ length: 30 }, async () => {
      while (storm.raging) {
        const voter = `storm-voter-${++counter}`
        sent.add(voter)
        try {
          const response = await vote(first, 'skala', voter, 3)
          if (response.status === 201)
            acknowledged.add(voter)
        }
        catch {
          return // The server is gone.
        }
      }
    })
    // Kill once the storm is well under way, whatever the machine's speed.
    for (let waited = 0; acknowledged.size < 150 && waited < 10_000; waited += 10)
      await new Promise(resolve => setTimeout(resolve, 10))
    await killAbruptly(first)
    storm.raging = false
    await Promise.all(senders)
    expect(acknowledged.size).toBeGreaterThanOrEqual(150)

    const second = await start(first.dir)
    const counted = await status(second, 'skala')
    expect(counted.total).toBeGreaterThanOrEqual(acknowledged.size)
    expect(counted.total).toBeLessThanOrEqual(sent.size)
    const stored = sqliteVotes(second.dbFile, 'skala')
    const lost = [...acknowledged].filter(voter => !stored.has(voter))
    expect(lost).toEqual([])
    process.stdout.write(`storm: ${sent.size} sent, ${acknowledged.size} acknowledged before SIGKILL, ${counted.total} stored after restart, ${lost.length} lost\n`)
  })
})
