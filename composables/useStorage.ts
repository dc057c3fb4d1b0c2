import type { Ref } from 'vue'
import { customRef } from 'vue'

export interface StorageCodec<T> {
  parse: (raw: string) => T
  stringify: (value: T) => string
}

export const asText: StorageCodec<string> = {
  parse: raw => raw,
  stringify: value => value,
}

/** The value kept under `key`, or undefined (nothing kept, or storage blocked); not reactive. */
export function readStored<T>(key: string, codec: StorageCodec<T>): T | undefined {
  try {
    const raw = localStorage.getItem(key)
    return raw === null
      ? undefined
      : codec.parse(raw)
  }
  catch {
    return undefined // storage blocked (private mode) or unreadable: as if nothing was kept
  }
}

/** Keeps `value` under `key` (undefined removes it); silently nothing where storage is blocked. */
export function writeStored<T>(key: string, value: T | undefined, codec: StorageCodec<T>): void {
  try {
    if (value === undefined || value === '')
      localStorage.removeItem(key)
    else
      localStorage.setItem(key, codec.stringify(value))
  }
  catch {}
}

/**
 * A ref kept in localStorage under `key`; undefined removes it. Where storage is blocked the value lives for
 * this page only. Writes happen at once, so a reload right after a change keeps it.
 */
export function useStorage(key: string): Ref<string | undefined>
export function useStorage<T>(key: string, codec: StorageCodec<T>): Ref<T | undefined>
export function useStorage<T>(key: string, codec = asText as unknown as StorageCodec<T>): Ref<T | undefined> {
  return customRef<T | undefined>((track, trigger) => {
    let value = readStored(key, codec)
    return {
      get() {
        track()
        return value
      },
      set(next) {
        value = next
        writeStored(key, next, codec)
        trigger()
      },
    }
  })
}
