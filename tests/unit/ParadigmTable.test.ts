import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import ParadigmTable from '../../components/ParadigmTable.vue'
import { paradigms } from '../../snippets/paradigms.ts'
import { recordingClickDirectives } from './click-directives.ts'

function mountTable(props: InstanceType<typeof ParadigmTable>['$props'] = {}) {
  return mount(ParadigmTable, {
    props,
    global: { directives: recordingClickDirectives },
  })
}

describe('paradigmTable', () => {
  it('puts the paradigms side by side as column headers', () => {
    const headers = mountTable().findAll('thead th').map(th => th.text())
    expect(headers).toEqual(['Planlegging', 'New Public Management', 'Samskaping'])
  })

  it('has one row per aspect, headed by its label', () => {
    const rows = mountTable().findAll('tbody tr')
    expect(rows.map(row => row.find('th').text().replace('\u00AD', ''))).toEqual([
      'Befolkningen',
      'Organisasjonsmodell',
      'Idealer',
      'Innovasjon',
      'Makt',
    ])
    expect(rows.every(row => row.find('th').attributes('scope') === 'row')).toBe(true)
  })

  it('shows each paradigm\'s values in its own column', () => {
    const rows = mountTable().findAll('tbody tr')
    const organisation = rows[1]!.findAll('td').map(td => td.text())
    expect(organisation).toEqual(['Byråkrati', 'Foretaket', 'Nettverk'])
    const power = rows[4]!.findAll('td').map(td => td.text())
    expect(power).toEqual(['Posisjon', 'Kapital (bunnlinje)', 'Medvirkning'])
    expect(rows[0]!.findAll('td')[2]!.text()).toBe('Individer og grupper med komplementære kompetanser')
  })

  it('reveals New Public Management on the first click and co-creation on the second', () => {
    const table = mountTable({ reveal: true })
    const columnOf = (index: number) => table.findAll('tr').map(row => row.findAll('th[scope="col"], td')
      .filter(cell => cell.text() !== '')[index]
      ?.attributes('data-click-at')).filter(Boolean)
    expect(new Set(columnOf(0))).toEqual(new Set(['false']))
    expect(new Set(columnOf(1))).toEqual(new Set(['1']))
    expect(new Set(columnOf(2))).toEqual(new Set(['2']))
  })

  it('shows every column at once without reveal', () => {
    const clicks = mountTable().findAll('td, th[scope="col"]').map(cell => cell.attributes('data-click-at'))
    expect(clicks.filter(at => at !== undefined && at !== 'false')).toEqual([])
  })

  it('renders a subset of paradigms when given one', () => {
    const table = mountTable({
      paradigms: paradigms.slice(2),
    })
    expect(table.findAll('thead th').map(th => th.text())).toEqual(['Samskaping'])
  })
})
