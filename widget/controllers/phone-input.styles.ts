import { css } from 'lit'

/** The parts of intl-tel-input's stylesheet the widget uses (no flag sprites), themed. */
export const phoneInputStyles = css`
  .iti {
    position: relative;
    display: block;
  }
  .iti * {
    box-sizing: border-box;
  }
  .iti__a11y-text,
  .iti__hide {
    display: none;
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
    display: none;
  }
  .iti__arrow {
    margin-inline-start: 6px;
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
    margin-inline-start: 2px;
  }
  .iti__country-selector {
    position: absolute;
    z-index: 2;
    inset-inline-start: 0;
    top: 100%;
    margin-top: 4px;
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
