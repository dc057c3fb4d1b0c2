import { mount } from '@vue/test-utils'
import { encode } from 'uqr'
import { describe, expect, it } from 'vitest'
import JoinCode from '../../components/JoinCode.vue'

describe('joinCode', () => {
  const url = 'http://192.168.1.20:3030/v'

  it('shows the short address to type, without the scheme', () => {
    const code = mount(JoinCode, {
      props: { url },
    })
    expect(code.find('figcaption').text()).toBe('Stem på192.168.1.20:3030/v')
    expect(code.find('strong').text()).toBe('192.168.1.20:3030/v')
  })

  it('draws the QR code as inline SVG with a text alternative', () => {
    const code = mount(JoinCode, {
      props: { url },
    })
    const svg = code.find('svg')
    expect(svg.attributes('role')).toBe('img')
    expect(svg.attributes('aria-label')).toBe('QR-kode som åpner 192.168.1.20:3030/v')
    const qr = encode(url, { ecc: 'M', border: 2 })
    expect(svg.attributes('viewBox')).toBe(`0 0 ${qr.size} ${qr.size}`)
    const darkModules = qr.data.flat().filter(Boolean).length
    expect(code.find('path').attributes('d')!.match(/M/g)).toHaveLength(darkModules)
  })
})
