import { css } from 'lit'

/**
 * The parts of intl-tel-input's stylesheet the widget uses, themed. Flags are emoji (the rules
 * that fill them in are built by the controller), so no sprite is downloaded.
 *
 * (Comments stay out of the template: they would ship in widget.js.)
 * - `.iti__a11y-text`: the search's result count, read out (a live region), not shown.
 * - `.iti__country-selector`: the library wraps the field in dir=ltr (numbers read left to right)
 *   and gives the list the page's direction, so the list is anchored on the physical left, under
 *   the field, in every direction. The library sets top or bottom itself, and pins a height it
 *   measured outside our shadow root (where these styles do not apply, so far too tall): the
 *   list's own max-height decides instead.
 * - `.iti__country-list:empty`: an empty listbox is an ARIA error; the message below it and the
 *   live region speak instead.
 */
export const phoneInputStyles = css`
  .iti {
    position: relative;
    display: block;
  }
  .iti * {
    box-sizing: border-box;
  }
  .iti__hide {
    display: none;
  }
  .iti__a11y-text {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .iti__v-hide {
    visibility: hidden;
  }
  .iti__country-container {
    position: absolute;
    top: 0;
    bottom: 0;
    inset-inline-start: 0;
    padding: 1px;
  }
  .iti__selected-country {
    display: flex;
    align-items: center;
    height: 100%;
    background: none;
    border: 0;
    margin: 0;
    padding: 0 8px 0 12px;
    color: inherit;
    border-radius: var(--_radius) 0 0 var(--_radius);
    min-height: 0;
  }
  .iti__selected-country:hover,
  .iti__selected-country[aria-expanded='true'] {
    background: var(--_hover);
  }
  .iti__selected-country-primary {
    display: flex;
    align-items: center;
  }
  .iti__flag {
    display: inline-block;
    flex: none;
    width: 1.5em;
    font-size: 1.15em;
    line-height: 1;
    text-align: center;
    font-family:
      'Twemoji Mozilla', 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji', sans-serif;
  }
  .iti__flag svg {
    width: 1em;
    height: 1em;
    vertical-align: middle;
  }
  .iti__arrow {
    margin-inline-start: 4px;
    width: 6px;
    height: 6px;
    border-right: 1.5px solid currentColor;
    border-bottom: 1.5px solid currentColor;
    transform: rotate(45deg);
    margin-top: -3px;
  }
  .iti__arrow--up {
    transform: rotate(-135deg);
    margin-top: 3px;
  }
  .iti__selected-dial-code {
    margin-inline-start: 6px;
  }
  .iti__country-selector {
    position: absolute;
    z-index: 2;
    left: 0;
    right: auto;
    height: auto !important;
    width: 100%;
    max-width: calc(100vw - 16px);
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 6px 20px rgba(0, 0, 0, 0.18);
    overflow: hidden;
  }
  .iti__search-input-wrapper {
    position: relative;
    border-bottom: 1px solid var(--_border);
  }
  .iti__search-icon,
  .iti__search-clear {
    display: none;
  }
  .iti__search-input {
    border: 0;
    border-radius: 0;
    width: 100%;
  }
  .iti__country-list:empty {
    display: none;
  }
  .iti__country-list {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: min(200px, 40vh);
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .iti__country {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 10px 12px;
    cursor: pointer;
  }
  .iti__country.iti__highlight {
    background: var(--_hover);
  }
  .iti__country-name {
    flex-grow: 1;
  }
  .iti__dial-code {
    color: var(--_muted);
  }
  .iti__country-check {
    display: none;
  }
  .iti__no-results {
    padding: 16px;
    text-align: center;
  }
`
