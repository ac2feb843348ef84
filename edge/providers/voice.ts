/**
 * What a call says. The code is read digit by digit (spaced, so text-to-speech does not say
 * "four hundred eighty-two thousand…") and twice, so it can be written down.
 */
import type { OutboundMessage } from './types.js'

/** `482913` → `4 8 2 9 1 3`. */
export function spacedDigits(code: string, separator = ' '): string {
  return code.split('').join(separator)
}

/** The default script: the digits spaced, said twice. */
export function defaultVoiceText(code: string): string {
  const spaced = spacedDigits(code, ', ')
  return `Your code is: ${spaced}. Again, your code is: ${spaced}.`
}

/**
 * The script for a call. The core may already pass a spoken text (per locale) in `text`; it is
 * used when it spells the code out digit by digit at least twice. Anything else (an SMS text
 * with the code in one piece, or no text) gets the default script. Null when there is nothing
 * to say.
 */
export function voiceScript(msg: OutboundMessage): { text: string; fromMessage: boolean } | null {
  const code = msg.code
  if (!code) return msg.text.trim() ? { text: msg.text, fromMessage: true } : null
  const digits = code.split('').map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const spelled = new RegExp(digits.join('[^0-9A-Za-z]+'), 'g')
  if (code.length > 1 && (msg.text.match(spelled)?.length ?? 0) >= 2) {
    return { text: msg.text, fromMessage: true }
  }
  return { text: defaultVoiceText(code), fromMessage: false }
}
