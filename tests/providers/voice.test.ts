import { describe, expect, it } from 'vitest'
import { defaultVoiceText, spacedDigits, voiceScript } from '../../edge/providers/voice.js'
import type { OutboundMessage } from '../../edge/providers/types.js'

const msg: OutboundMessage = {
  to: '+14155550123',
  channel: 'voice',
  text: 'Your login code is 482913\n@example.com #482913',
  code: '482913',
  kind: 'code',
  locale: 'en',
}

describe('voice script', () => {
  it('spaces the digits and says them twice', () => {
    expect(spacedDigits('4829')).toBe('4 8 2 9')
    expect(defaultVoiceText('4829')).toBe(
      'Your code is: 4, 8, 2, 9. Again, your code is: 4, 8, 2, 9.',
    )
  })

  it('replaces an SMS text, where the code is in one piece, with the default script', () => {
    expect(voiceScript(msg)).toEqual({ text: defaultVoiceText('482913'), fromMessage: false })
  })

  it("keeps the core's text when it spells the code out twice", () => {
    const text = 'Your Acme code is: 4, 8, 2, 9, 1, 3. Again: 4, 8, 2, 9, 1, 3.'
    expect(voiceScript({ ...msg, text })).toEqual({ text, fromMessage: true })
    const once = 'Your Acme code is: 4, 8, 2, 9, 1, 3.'
    expect(voiceScript({ ...msg, text: once })).toEqual({
      text: defaultVoiceText('482913'),
      fromMessage: false,
    })
  })

  it('has nothing to say without a code or a text', () => {
    expect(voiceScript({ ...msg, code: undefined, text: '  ' })).toBeNull()
  })
})
