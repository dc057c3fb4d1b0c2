/**
 * The votes, ideas and lifts a store has accepted and not yet answered. The event hub waits for those under way
 * before it renders an event (`settled`), so the event counts the votes the server has already read; without it,
 * a vote read just before an event is left for the next one, an interval later.
 */
export interface PendingWrites {
  /** Follows a write until it is committed or refused; returns it unchanged. */
  track: <T>(write: Promise<T>) => Promise<T>
  /** Resolves once every write tracked before the call is answered; writes tracked after it are not waited for. */
  settled: () => Promise<void>
}

export function createPendingWrites(): PendingWrites {
  const pending = new Set<Promise<unknown>>()
  return {
    track(write) {
      pending.add(write)
      const forget = () => pending.delete(write)
      write.then(forget, forget)
      return write
    },
    settled() {
      return pending.size === 0
        ? Promise.resolve()
        : Promise.allSettled([...pending]).then(() => {})
    },
  }
}
