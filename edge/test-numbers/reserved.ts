/**
 * Numbers that can never reach a person: ranges the numbering authorities keep out of service for
 * films, TV, books and examples. Nobody can receive a code on one, so an account on one would be an
 * account nobody proved: they are refused (`invalid_phone`) for register, login and enrolment
 * unless the admin lists the number as a test number (resolve.ts), which is what they are for.
 * Each range is an E.164 pattern, with its source.
 */

interface Reserved {
  /** The whole E.164 number. */
  pattern: RegExp
  what: string
  source: string
}

export const RESERVED_RANGES: readonly Reserved[] = [
  {
    // NANPA: "555-0100 through 555-0199 are now specifically reserved for fictitious uses", in
    // every area code. libphonenumber calls them valid, so only this list keeps them out.
    pattern: /^\+1[2-9]\d{2}55501\d{2}$/,
    what: 'NANP NXX 555-0100…555-0199',
    source: 'https://nationalnanpa.com/number_resource_info/555_numbers.html',
  },
  ...(
    [
      // Ofcom, "Telephone numbers for drama purposes": 1,000 numbers in each range.
      ['44113', '4960'], // Leeds 0113 496 0000–0999 (0114 Sheffield … 0118 Reading below)
      ['44114', '4960'],
      ['44115', '4960'],
      ['44116', '4960'],
      ['44117', '4960'],
      ['44118', '4960'],
      ['44121', '4960'], // Birmingham
      ['44131', '4960'], // Edinburgh
      ['44141', '4960'], // Glasgow
      ['44151', '4960'], // Liverpool
      ['44161', '4960'], // Manchester
      ['44191', '4980'], // Tyneside, Durham, Sunderland 0191 498 0000–0999
      ['4420', '79460'], // London 020 7946 0000–0999
      ['4428', '96496'], // Northern Ireland 028 9649 6000–6999
      ['4429', '20180'], // Cardiff 029 2018 0000–0999
      ['441632', '960'], // no area: 01632 960000–960999
      ['447700', '900'], // mobile 07700 900000–900999
      ['448081', '570'], // freephone 08081 570000–570999
      ['44909', '8790'], // premium rate 0909 879 0000–0999
      ['443069', '990'], // UK-wide 03069 990000–990999
    ] as const
  ).map(([code, block]) => ({
    pattern: new RegExp(`^\\+${code}${block}\\d{3}$`),
    what: `UK drama range +${code} ${block}xxx`,
    source: 'https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama',
  })),
  {
    // ACMA, "Phone numbers for use in TV shows, films and creative works": (02), (03), (07) and
    // (08) 5550 xxxx and 7010 xxxx.
    pattern: /^\+61[2378](?:5550|7010)\d{4}$/,
    what: 'Australia (0x) 5550 xxxx, (0x) 7010 xxxx',
    source: 'https://www.acma.gov.au/phone-numbers-use-tv-shows-films-and-creative-works',
  },
]

/** Whether an E.164 number lies in a range that reaches nobody. */
export function isReserved(e164: string): boolean {
  return RESERVED_RANGES.some((r) => r.pattern.test(e164))
}
