import type { NetworkInterfaceInfo } from 'node:os'
import type { VenueAddress } from '../../server/venue-addresses.ts'
import type { CheckedAddress } from '../../server/venue-advice.ts'
import { describe, expect, it } from 'vitest'
import { addressScope, venueAddresses } from '../../server/venue-addresses.ts'
import { venueAdvice } from '../../server/venue-advice.ts'

function nic(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    family: 'IPv4',
    internal,
    netmask: '255.255.255.0',
    mac: '00:00:00:00:00:00',
    cidr: null,
  }
}

/** A laptop on venue Wi-Fi and a VPN. */
const laptop = {
  lo: [
    nic('127.0.0.1', true),
  ],
  wlan0: [
    nic('192.168.1.20'),
  ],
  tun0: [
    nic('10.8.0.3'),
  ],
}

const checked = (address: VenueAddress, answers: boolean): CheckedAddress => ({ ...address, answers })

describe('how far an address reaches', () => {
  it('tells loopback, link-local, private and public addresses and names apart', () => {
    expect([
      '127.0.0.1',
      '::1',
      'localhost',
      '[::1]',
    ].map(addressScope)).toEqual([
      'loopback',
      'loopback',
      'loopback',
      'loopback',
    ])
    expect(['169.254.10.1', 'fe80::1'].map(addressScope)).toEqual(['link-local', 'link-local'])
    expect([
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.1',
      '192.168.1.20',
      '100.64.0.1',
      'fd00::1',
      'laptop.local',
      'laptop',
    ].map(addressScope))
      .toEqual(Array.from({ length: 8 }).fill('private'))
    expect([
      '172.32.0.1',
      '192.169.0.1',
      '8.8.8.8',
      '2001:db8::1',
      'polls.example.org',
    ].map(addressScope))
      .toEqual(Array.from({ length: 5 }).fill('public'))
  })
})

describe('the addresses phones would use', () => {
  it('lists every network address on PORT when the server listens on all of them', () => {
    expect(venueAddresses({ host: '0.0.0.0', port: 3030 }, laptop)).toEqual([
      {
        url: 'http://192.168.1.20:3030/v',
        scope: 'private',
        source: 'network',
        listening: true,
      },
      {
        url: 'http://10.8.0.3:3030/v',
        scope: 'private',
        source: 'network',
        listening: true,
      },
    ])
  })

  it('lists the network addresses as not listening when HOST is loopback, after the loopback one', () => {
    expect(venueAddresses({ host: '127.0.0.1', port: 3030 }, laptop)).toEqual([
      {
        url: 'http://127.0.0.1:3030/v',
        scope: 'loopback',
        source: 'network',
        listening: true,
      },
      {
        url: 'http://192.168.1.20:3030/v',
        scope: 'private',
        source: 'network',
        listening: false,
      },
      {
        url: 'http://10.8.0.3:3030/v',
        scope: 'private',
        source: 'network',
        listening: false,
      },
    ])
  })

  it('uses only POLL_SERVER, else only PUBLIC_URL, when set', () => {
    expect(venueAddresses({
      host: '0.0.0.0',
      port: 3030,
      publicUrl: 'https://polls.example.org/',
      pollServer: 'https://hosted.example.org',
    }, laptop))
      .toEqual([
        {
          url: 'https://hosted.example.org/v',
          scope: 'public',
          source: 'poll-server',
          listening: true,
        },
      ])
    expect(venueAddresses({ host: '0.0.0.0', port: 3030, publicUrl: 'https://polls.example.org' }, laptop))
      .toEqual([
        {
          url: 'https://polls.example.org/v',
          scope: 'public',
          source: 'public-url',
          listening: true,
        },
      ])
  })

  it('falls back to loopback on a machine with no network', () => {
    expect(venueAddresses({ host: '0.0.0.0', port: 3030 }, { lo: laptop.lo })).toEqual([
      {
        url: 'http://127.0.0.1:3030/v',
        scope: 'loopback',
        source: 'network',
        listening: true,
      },
    ])
  })
})

describe('advice for the speaker', () => {
  it('sends phones on mobile data to a hosted server when only private addresses answer', () => {
    const [wifi, vpn] = venueAddresses({ host: '0.0.0.0', port: 3030 }, laptop)
    expect(venueAdvice([
      checked(wifi!, true),
      checked(vpn!, true),
    ], '0.0.0.0')).toEqual([
      'Telefoner på mobildata når ikke 192.168.1.20:3030 eller 10.8.0.3:3030: bruk en avstemningstjener på nett (POLL_SERVER), se README, «When phones can\'t reach your laptop».',
      'Telefoner på samme wifi når den bare hvis nettet lar enheter nå hverandre. Mange hotell- og konferansenett gjør ikke det; en mobil-hotspot gjør det.',
    ])
    expect(venueAdvice([
      checked(wifi!, true),
      checked(vpn!, false),
    ], '0.0.0.0')[0]).toMatch(/^Telefoner på mobildata når ikke 192\.168\.1\.20:3030: /)
  })

  it('says to listen on the network when only loopback answers, and still points at a hosted server', () => {
    const addresses = venueAddresses({ host: '127.0.0.1', port: 3030 }, laptop)
    expect(venueAdvice(addresses.map(address => checked(address, address.listening)), '127.0.0.1')).toEqual([
      'Tjeneren lytter bare på 127.0.0.1, så 192.168.1.20:3030 eller 10.8.0.3:3030 svarer ikke. Start med «HOST=0.0.0.0 npm start» så telefoner på samme nett når den.',
      '127.0.0.1:3030 gjelder bare denne maskinen: ingen telefon når den.',
      'Telefoner på mobildata når ikke denne maskinen: bruk en avstemningstjener på nett (POLL_SERVER), se README, «When phones can\'t reach your laptop».',
    ])
  })

  it('names a link-local address as a network without DHCP', () => {
    const [address] = venueAddresses({ host: '0.0.0.0', port: 3030 }, {
      eth0: [
        nic('169.254.7.7'),
      ],
    })
    expect(venueAdvice([
      checked(address!, true),
    ], '0.0.0.0')[0]).toBe('169.254.7.7:3030 er en nødadresse (nettet delte ikke ut noen adresse): koble til nettet på nytt.')
  })

  it('has no hosted-server advice for a public address, but warns of http:// on a hosted server', () => {
    const [hosted] = venueAddresses({ host: '0.0.0.0', port: 3030, pollServer: 'https://polls.example.org' }, laptop)
    expect(venueAdvice([
      checked(hosted!, true),
    ], '0.0.0.0')).toEqual([
      'Telefoner kan nå polls.example.org også på mobildata, så sant adressen svarer utenfra (det kan ikke sjekkes herfra).',
    ])
    const [plain] = venueAddresses({ host: '0.0.0.0', port: 3030, pollServer: 'http://polls.example.org' }, laptop)
    expect(venueAdvice([
      checked(plain!, true),
    ], '0.0.0.0')[1]).toMatch(/^Adressen bruker http:\/\/: .*blandet innhold/)
  })

  it('says so when nothing answers, naming a hosted server that does not', () => {
    const [hosted] = venueAddresses({ host: '0.0.0.0', port: 3030, pollServer: 'https://polls.example.org' }, laptop)
    expect(venueAdvice([
      checked(hosted!, false),
    ], '0.0.0.0')).toEqual([
      'Avstemningstjeneren polls.example.org svarer ikke herfra. Sjekk adressen i POLL_SERVER og at tjeneren kjører (GET /healthz).',
    ])
    const local = venueAddresses({ host: '0.0.0.0', port: 3030 }, laptop)
    expect(venueAdvice(local.map(address => checked(address, false)), '0.0.0.0')).toEqual([
      'Ingen av adressene svarer fra denne maskinen. Sjekk at tjeneren kjører, og at ingen brannmur stenger porten.',
    ])
  })
})
