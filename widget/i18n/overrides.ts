import type { StringOverrides, Strings } from './strings.js'

type Dict = Record<string, unknown>
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A text with `{…}` placeholders as a string function: each placeholder is the value given. */
const template = (text: string) => (value: unknown) => text.replace(/\{[^{}]*\}/g, String(value))

/**
 * `over` laid on `base`, key by key. A value of another type than the one it replaces is ignored
 * (JSON from a page is not type-checked), except a text for a function, which becomes a template.
 */
export function overlay<T>(base: T, over: unknown): T {
  if (over === undefined || over === null) return base
  if (typeof base === 'function') {
    if (typeof over === 'function') return over as T
    return (typeof over === 'string' ? template(over) : base) as T
  }
  if (isDict(over)) {
    const out: Dict = { ...(isDict(base) ? base : {}) }
    for (const [key, value] of Object.entries(over))
      if (key !== '__proto__') out[key] = overlay(out[key], value)
    return out as T
  }
  return base === undefined || typeof base === typeof over ? (over as T) : base
}

/** The strings with each layer of overrides applied in turn (later layers win). */
export function withStrings(base: Strings, ...layers: (StringOverrides | undefined)[]): Strings {
  return layers.reduce<Strings>((s, layer) => overlay(s, layer), base)
}
