import type { Socket } from 'node:net'
import { Buffer } from 'node:buffer'
import { once } from 'node:events'
import { connect, createServer } from 'node:net'
import { sleep, waitFor } from '../tools/wait.ts'

/**
 * How fast this machine is right now at what a storm's fan-out does: one small write to each of thousands of open
 * loopback sockets. On a shared virtual machine that cost moves 2–4× over tens of minutes (the host's other guests),
 * and the storm's latency with it; printed next to a run, it says which machine the run had.
 */
export async function measureLoopbackWrite(sockets = 2000, rounds = 40, bytes = 1024): Promise<number> {
  const server = createServer()
  // A backlog for every socket at once: a full accept queue leaves connections the client thinks are open.
  server.listen({ port: 0, host: '127.0.0.1', backlog: sockets })
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const accepted: Socket[] = []
  server.on('connection', socket => accepted.push(socket))
  const readBuffer = Buffer.allocUnsafe(64 * 1024)
  const clients = Array.from({ length: sockets }, () => connect({
    host: '127.0.0.1',
    port,
    // The reading side stays cheap, as the benchmark's listeners do.
    onread: {
      buffer: readBuffer,
      callback: () => true,
    },
  }))
  try {
    await Promise.all(clients.map(client => once(client, 'connect')))
    await waitFor(() => accepted.length === sockets, 10_000, 5)
    const payload = Buffer.alloc(bytes, 'x')
    const perWrite: number[] = []
    for (let round = 0; round < rounds; round++) {
      const start = performance.now()
      for (const socket of accepted)
        socket.write(payload)
      perWrite.push((performance.now() - start) * 1000 / sockets)
      // Let the readers take what was sent before the next round.
      await sleep(20)
    }
    perWrite.sort((a, b) => a - b)
    return perWrite[Math.floor(rounds / 2)]!
  }
  finally {
    for (const socket of [
      ...clients,
      ...accepted,
    ])
      socket.destroy()
    server.close()
  }
}
