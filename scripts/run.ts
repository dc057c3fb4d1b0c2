import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import process from 'node:process'

/** A binary installed by npm for this project, so scripts work without `npm run` putting it on PATH. */
export function bin(name: string): string {
  return resolve(import.meta.dirname, '..', 'node_modules', '.bin', name)
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
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0)
        resolvePromise()
      else
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))
    })
  })
}
