import type { Page } from 'playwright-chromium'
import AxeBuilder from '@axe-core/playwright'
import { expect } from 'vitest'

/** WCAG 2.1 AA, as Norwegian rules on universal design of ICT require; each failure names the rule, place and element. */
export async function axeViolations(page: Page, where: string, options: { include?: string } = {}): Promise<string[]> {
  // @axe-core/playwright types its Page from its own copy of playwright-core; the API is the same.
  let builder = new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] })
    .withTags([
      'wcag2a',
      'wcag2aa',
      'wcag21a',
      'wcag21aa',
    ])
  if (options.include)
    builder = builder.include(options.include)
  const result = await builder.analyze()
  return result.violations.map(violation => `${where}: ${violation.id} at ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`)
}

export async function expectNoAxeViolations(page: Page, where: string, options: { include?: string } = {}) {
  expect(await axeViolations(page, where, options)).toEqual([])
}
