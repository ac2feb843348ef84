/**
 * The number the user typed, as they will recognise it on the code step ("+91 98765 43210"): their
 * own number in their own browser, so every digit can be checked, unlike the API's masked form.
 * The parser is the lazy chunk the phone field has already loaded to validate it.
 */
export async function shownNumber(e164: string): Promise<string> {
  try {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/mobile')
    return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
  } catch {
    return e164
  }
}
