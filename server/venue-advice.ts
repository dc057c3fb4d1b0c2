/**
 * Plain advice for the speaker from the venue check: which phones can reach the voting page, and what to do when
 * the only addresses that answer are private or this machine's own.
 */
import type { AddressScope, VenueAddress } from './venue-addresses.ts'

export interface CheckedAddress extends VenueAddress {
  /** A request from this machine to the address got the poll server's answer. */
  answers: boolean
}

const README = 'se README, «When phones can\'t reach your laptop»'
const HOSTED = `bruk en avstemningstjener på nett (POLL_SERVER), ${README}.`

/** Wider first: the advice is about the widest reach any answering address has. */
const REACH: readonly AddressScope[] = [
  'public',
  'private',
  'link-local',
  'loopback',
]

const hostOf = (address: VenueAddress) => new URL(address.url).host

function listOf(addresses: readonly VenueAddress[]): string {
  const hosts = addresses.map(hostOf)
  return hosts.length > 1
    ? `${hosts.slice(0, -1).join(', ')} eller ${hosts.at(-1)}`
    : hosts[0] ?? ''
}

type Advise = (reaching: readonly CheckedAddress[]) => string[]

const adviceByReach: Record<AddressScope, Advise> = {
  'public': reaching => reaching.flatMap(address => [
    `Telefoner kan nå ${hostOf(address)} også på mobildata, så sant adressen svarer utenfra (det kan ikke sjekkes herfra).`,
    ...address.url.startsWith('http:') && address.source === 'poll-server'
      ? ['Adressen bruker http://: en presentasjon åpnet over https:// får ikke kontakt med den (blandet innhold). Bruk https://.']
      : [],
  ]),
  'private': reaching => [
    `Telefoner på mobildata når ikke ${listOf(reaching)}: ${HOSTED}`,
    `Telefoner på samme wifi når den bare hvis nettet lar enheter nå hverandre. Mange hotell- og konferansenett gjør ikke det; en mobil-hotspot gjør det.`,
  ],
  'link-local': reaching => [
    `${listOf(reaching)} er en nødadresse (nettet delte ikke ut noen adresse): koble til nettet på nytt.`,
    `Telefoner på mobildata når ikke denne maskinen: ${HOSTED}`,
  ],
  'loopback': reaching => [
    `${listOf(reaching)} gjelder bare denne maskinen: ingen telefon når den.`,
    `Telefoner på mobildata når ikke denne maskinen: ${HOSTED}`,
  ],
}

export function venueAdvice(checked: readonly CheckedAddress[], host: string): string[] {
  const answering = checked.filter(address => address.answers)
  const notListening = checked.filter(address => !address.listening)
  const listenElsewhere = notListening.length > 0
    ? [`Tjeneren lytter bare på ${host}, så ${listOf(notListening)} svarer ikke. Start med «HOST=0.0.0.0 npm start» så telefoner på samme nett når den.`]
    : []
  const scope = REACH.find(reach => answering.some(address => address.scope === reach))
  if (!scope) {
    const hosted = checked.find(address => address.source === 'poll-server')
    return [
      hosted
        ? `Avstemningstjeneren ${hostOf(hosted)} svarer ikke herfra. Sjekk adressen i POLL_SERVER og at tjeneren kjører (GET /healthz).`
        : 'Ingen av adressene svarer fra denne maskinen. Sjekk at tjeneren kjører, og at ingen brannmur stenger porten.',
      ...listenElsewhere,
    ]
  }
  return [
    ...listenElsewhere,
    ...adviceByReach[scope](answering.filter(address => address.scope === scope)),
  ]
}
