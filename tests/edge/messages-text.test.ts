import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '../../edge/settings/settings.js'
import { codeText, noticeText, publicHost, voiceText } from '../../edge/messages/text.js'
import { LOCALES } from '../../shared/locales.js'

const settings = { ...DEFAULT_SETTINGS, siteName: 'Corner Shop' }

describe('codeText', () => {
  it('ends with the origin-bound WebOTP line: @host #code, one space, last line', () => {
    const text = codeText(settings, publicHost('https://auth.example.com:8443'), '012345')
    const lines = text.split('\n')
    expect(lines.at(-1)).toBe('@auth.example.com #012345')
    expect(lines[0]).toBe('012345 is your Corner Shop code.')
  })
  it('speaks the locale of the request while the template is the default', () => {
    expect(codeText(settings, 'a.example', '1234', 'es-MX').split('\n')[0]).toBe(
      '1234 es tu código de Corner Shop.',
    )
    expect(codeText(settings, 'a.example', '1234', 'hi')).toContain('1234 आपका Corner Shop कोड है')
    expect(codeText(settings, 'a.example', '1234', 'xx').split('\n')[0]).toBe(
      '1234 is your Corner Shop code.',
    )
  })
  it("uses the admin's own template as written, on one line", () => {
    const custom = { ...settings, messageTemplate: 'Code {code}\nfor {site}' }
    expect(codeText(custom, 'a.example', '987654', 'fr')).toBe(
      'Code 987654 for Corner Shop\n@a.example #987654',
    )
  })
})

describe('voiceText and noticeText', () => {
  it('reads the digits one by one, twice', () => {
    expect(voiceText(settings, '4821')).toBe(
      'Your Corner Shop code is: 4, 8, 2, 1. Again: 4, 8, 2, 1.',
    )
    expect(voiceText(settings, '4821', 'fr')).toContain('4, 8, 2, 1')
  })
  it('has a notice for each security event, with no code in it', () => {
    for (const n of ['phone_changed', 'phone_removed', 'backup_code_used'] as const) {
      for (const l of LOCALES) {
        const text = noticeText(n, settings, l)
        expect(text).toContain('Corner Shop')
        expect(text).not.toMatch(/\d{4}/)
      }
    }
  })
})
