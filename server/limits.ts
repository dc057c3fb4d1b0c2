/**
 * How many event streams are open, per client address and in total, kept only in memory: one address holding
 * thousands of streams would use up the process's file descriptors and lock every other phone out.
 */
export interface StreamLimits {
  /** Streams one address may hold at once; 0 = no limit. */
  perAddress: number
  /** Streams the server holds at once, below the file-descriptor limit; 0 = no limit. */
  total: number
}

export type StreamAdmission
  = | { ok: true, release: () => void }
    | { ok: false, reason: 'address' | 'total' }

export interface StreamCounter {
  /** Takes a slot for one stream from `address`, or says which cap is reached; `release` gives it back once. */
  admit: (address: string) => StreamAdmission
  open: () => number
}

export function createStreamCounter(limits: StreamLimits): StreamCounter {
  const perAddress = new Map<string, number>()
  let open = 0
  return {
    admit(address) {
      const held = perAddress.get(address) ?? 0
      if (limits.total > 0 && open >= limits.total)
        return { ok: false, reason: 'total' }
      if (limits.perAddress > 0 && held >= limits.perAddress)
        return { ok: false, reason: 'address' }
      perAddress.set(address, held + 1)
      open++
      let released = false
      return {
        ok: true,
        release() {
          if (released)
            return
          released = true
          open--
          const left = (perAddress.get(address) ?? 1) - 1
          if (left > 0)
            perAddress.set(address, left)
          else
            perAddress.delete(address)
        },
      }
    },
    open: () => open,
  }
}
