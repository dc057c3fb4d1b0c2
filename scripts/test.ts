/**
 * `npm test`: types, lint, unit, integration, build, end-to-end, stopping at the first stage that fails, then the wall
 * time of each step. Type check, lint and build each keep one core busy for a while and need nothing from each other,
 * so they run side by side (their output is shown as each ends); the test projects run one after the other.
 */
import { spawn } from 'node:child_process'
import process from 'node:process'

/** npm scripts that run side by side within a stage. */
const STAGES: string[][] = [
  ['typecheck', 'lint', 'build'],
  ['test:unit'],
  ['test:integration'],
  ['test:e2e'],
]

interface StepResult {
  script: string
  ok: boolean
  seconds: number
}

/** Runs `npm run <script>`; its output goes straight through when it runs alone, else is shown when it ends. */
function runScript(script: string, alone: boolean): Promise<StepResult> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      stdio: alone
        ? 'inherit'
        : ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
    const done = (ok: boolean) => {
      if (!alone)
        process.stdout.write(`\n── npm run ${script} ──\n${output}`)
      resolve({ script, ok, seconds: (performance.now() - started) / 1000 })
    }
    child.on('error', (error) => {
      output += `${error.message}\n`
      done(false)
    })
    child.on('close', code => done(code === 0))
  })
}

const started = performance.now()
const results: StepResult[] = []
for (const stage of STAGES) {
  if (stage.length > 1)
    console.log(`npm test: ${stage.join(', ')} side by side …`)
  results.push(...await Promise.all(stage.map(script => runScript(script, stage.length === 1))))
  if (results.some(result => !result.ok))
    break
}

console.log('\nnpm test, wall time per step:')
for (const { script, ok, seconds } of results)
  console.log(`  ${script.padEnd(18)} ${seconds.toFixed(1).padStart(6)} s  ${ok ? 'ok' : 'FAILED'}`)
console.log(`  ${'total'.padEnd(18)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`)
const failed = results.filter(result => !result.ok)
if (failed.length) {
  console.log(`Failed: ${failed.map(result => result.script).join(', ')}`)
  process.exitCode = 1
}
