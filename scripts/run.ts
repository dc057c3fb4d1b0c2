import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import process from 'node:process'

/** A binary installed by npm for this project, so scripts work without `npm run` putting it on PATH. */
export function bin(name: string): string {
  return resolve(import.meta.dirname, '..', 'node_modules', '.bin', name)
}

/** Commands started by `run` and not yet ended. */
const running = new Set<ChildProcess>()

/**
 * Passes a signal on to the commands still running. A terminal's Ctrl-C reaches them by itself, but a command started
 * after the signal came, before its listener ran, would not get it and would go on alone.
 */
export function signalRunning(signal: NodeJS.Signals): void {
  for (const child of running)
    child.kill(signal)
}

/** Runs a command with inherited output; rejects naming the command when it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: {
        ...process.env,
        ...env,
      },
    })
    running.add(child)
    child.on('error', (error) => {
      running.delete(child)
      reject(error)
    })
    child.on('exit', (code, signal) => {
      running.delete(child)
      if (code === 0)
        resolvePromise()
      else
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))
    })
  })
}
