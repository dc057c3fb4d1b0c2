import type { AddressScope, AddressSource } from './venue-addresses.ts'
/**
 * The venue check as terminal text: in full for `npm run venue-check`, in short under `npm start`'s start message.
 * The QR code is the one the slides show, so a phone in the room can try it before the talk.
 */
import type { VenueReport } from './venue-check.ts'
import { renderUnicodeCompact } from 'uqr'

export type VenueTextForm = 'short' | 'full'

const scopeLabel: Record<AddressScope, string> = {
  'public': 'offentlig adresse',
  'private': 'privat adresse, bare samme nett',
  'link-local': 'nødadresse, bare samme kabel eller wifi',
  'loopback': 'bare denne maskinen',
}

const sourceLabel: Record<AddressSource, string> = {
  'poll-server': 'fra POLL_SERVER',
  'public-url': 'fra PUBLIC_URL',
  'network': '',
}

/** The QR code a terminal shows: light modules as full blocks, two rows of modules per line. */
export function terminalQr(url: string): string {
  return renderUnicodeCompact(url, { ecc: 'M', border: 2 })
}

export function venueText(report: VenueReport, form: VenueTextForm): string {
  const indent = (text: string) => text.split('\n').map(line => `  ${line}`).join('\n')
  const rows = report.addresses.map((address) => {
    const mark = address.answers
      ? '✓ svarer      '
      : '✗ svarer ikke '
    const notes = form === 'full'
      ? [scopeLabel[address.scope], sourceLabel[address.source]].filter(Boolean)
      : []
    return `${mark} ${address.url}${notes.length > 0
      ? `  (${notes.join(', ')})`
      : ''}`
  })
  const qrUrl = report.joinUrl ?? report.addresses.find(address => address.answers)?.url
  const heading = form === 'full'
    ? 'Adressene telefonene i salen ville brukt, spurt fra denne maskinen:'
    : 'Sjekk av lokalet (mer i «npm run venue-check»):'
  const sections = [
    `${heading}\n${indent(rows.join('\n'))}`,
    qrUrl && `QR-koden på lysarkene (${qrUrl}):\n${indent(terminalQr(qrUrl))}`,
    report.advice.length > 0 && `Råd:\n${indent(report.advice.map(line => `• ${line}`).join('\n'))}`,
    form === 'full' && qrUrl && 'Om nettet slipper telefonene fram, vet bare en telefon: skann QR-koden med en telefon på samme nett og en på mobildata.',
  ]
  return `${sections.filter(Boolean).join('\n\n')}\n`
}
