/**
 * A wait as people read it: "9 min, 53 sec", never "593 s". Intl.DurationFormat where the browser
 * has it; elsewhere a unit NumberFormat per part, joined as a unit list.
 */
type Style = 'long' | 'short'
type Fields = Partial<Record<'days' | 'hours' | 'minutes' | 'seconds', number>>
type DurationFormatCtor = new (
  locale: string,
  o: { style: Style },
) => {
  format(d: Fields): string
}

const UNITS = [
  ['days', 'day', 86_400],
  ['hours', 'hour', 3_600],
  ['minutes', 'minute', 60],
  ['seconds', 'second', 1],
] as const

export function duration(seconds: number, lang: string, style: Style = 'short'): string {
  let left = Math.max(0, Math.ceil(seconds))
  // Past an hour the seconds are noise: round up to the minute.
  if (left >= 3_600) left = Math.ceil(left / 60) * 60
  const fields: Fields = {}
  for (const [key, , size] of UNITS) {
    const n = Math.floor(left / size)
    left -= n * size
    if (n) fields[key] = n
  }
  if (!Object.keys(fields).length) fields.seconds = 0
  const DF = (Intl as { DurationFormat?: DurationFormatCtor }).DurationFormat
  if (DF) return new DF(lang, { style }).format(fields)
  const parts = UNITS.flatMap(([key, unit]) =>
    fields[key] === undefined
      ? []
      : [
          new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: style }).format(
            fields[key],
          ),
        ],
  )
  return new Intl.ListFormat(lang, { type: 'unit', style }).format(parts)
}
