import { css } from 'lit'

/**
 * Shared look of both elements. Site owners restyle through `--sms-auth-*` custom properties and
 * `::part()`; the internal `--_*` variables pick light or dark defaults by colour scheme.
 */
export const baseStyles = css`
  :host {
    --_bg: var(--sms-auth-color-background, #ffffff);
    --_fg: var(--sms-auth-color-text, #1d2330);
    --_muted: var(--sms-auth-color-muted, #4f5666);
    --_border: var(--sms-auth-color-border, #8a909c);
    --_primary: var(--sms-auth-color-primary, #1f4fd1);
    --_on-primary: var(--sms-auth-color-on-primary, #ffffff);
    --_error: var(--sms-auth-color-error, #b42318);
    --_success: var(--sms-auth-color-success, #1a7f37);
    --_hover: var(--sms-auth-color-hover, rgba(0, 0, 0, 0.06));
    --_radius: var(--sms-auth-radius, 8px);
    --_font: var(--sms-auth-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    display: block;
    max-width: var(--sms-auth-max-width, 400px);
    color: var(--_fg);
    font: 16px/1.45 var(--_font);
    color-scheme: light dark;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--sms-auth-color-background, #16181d);
      --_fg: var(--sms-auth-color-text, #e9ebef);
      --_muted: var(--sms-auth-color-muted, #b3b8c2);
      --_border: var(--sms-auth-color-border, #80868f);
      --_primary: var(--sms-auth-color-primary, #8ab4f8);
      --_on-primary: var(--sms-auth-color-on-primary, #0b1020);
      --_error: var(--sms-auth-color-error, #ff9b91);
      --_success: var(--sms-auth-color-success, #7ee2a0);
      --_hover: var(--sms-auth-color-hover, rgba(255, 255, 255, 0.08));
    }
  }
  :host([hidden]),
  [hidden],
  :host([no-heading]) [part~='heading'] {
    display: none !important;
  }
  .box {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 20px;
    box-sizing: border-box;
  }
  h2 {
    font-size: 1.25em;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 1.05em;
    margin: 16px 0 8px;
  }
  p {
    margin: 0 0 12px;
  }
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  form {
    display: grid;
    gap: 8px;
    margin: 0 0 12px;
  }
  label,
  .label {
    font-weight: 600;
    font-size: 0.95em;
  }
  input {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 10px 12px;
    width: 100%;
    box-sizing: border-box;
    min-height: 44px;
  }
  input:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_primary);
    outline-offset: 2px;
  }
  input[aria-invalid='true'] {
    border-color: var(--_error);
    border-width: 2px;
  }
  .code {
    letter-spacing: 0.4em;
    font-size: 1.3em;
    font-variant-numeric: tabular-nums;
  }
  button {
    font: inherit;
    border-radius: var(--_radius);
    cursor: pointer;
    min-height: 44px;
  }
  .primary {
    background: var(--_primary);
    color: var(--_on-primary);
    border: 0;
    padding: 10px 16px;
    font-weight: 600;
  }
  .primary[aria-disabled='true'],
  .link[aria-disabled='true'] {
    opacity: 0.7;
    cursor: progress;
  }
  .link {
    background: none;
    border: 0;
    color: var(--_primary);
    text-decoration: underline;
    padding: 4px 0;
    min-height: 32px;
  }
  /* The bot challenge's dialog (widget/challenge.ts). */
  dialog.challenge[open] {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
    padding: 16px;
    display: grid;
    gap: 12px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 16px;
    align-items: center;
  }
  [part~='error'] {
    color: var(--_error);
    font-weight: 600;
    margin: 0 0 12px;
  }
  [part~='error']::before {
    content: '⚠ ';
  }
  [part~='error']:empty {
    display: none;
  }
  .success {
    color: var(--_success);
    font-weight: 600;
  }
  .notice {
    color: var(--_success);
    font-weight: 600;
    margin: 0 0 12px;
  }
  .notice::before {
    content: '✓ ';
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .spinner {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
    vertical-align: -0.1em;
    margin-inline-end: 6px;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
`

/** Backup codes and the TOTP QR code, and form mode's verified number (phone-verify). */
export const factorStyles = css`
  .verified {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    margin: 0 0 12px;
  }
  .verified .label {
    flex-basis: 100%;
  }
  .number {
    font-size: 1.1em;
    font-variant-numeric: tabular-nums;
    unicode-bidi: isolate;
  }
  .codes {
    display: grid;
    grid-template-columns: repeat(2, 1fr);
    gap: 4px 16px;
    padding: 0;
    margin: 0 0 12px;
    list-style: none;
    font:
      1.05em/1.6 ui-monospace,
      SFMono-Regular,
      Menlo,
      monospace;
  }
  .qr {
    display: block;
    background: #fff;
    padding: 8px;
    border-radius: var(--_radius);
    margin: 0 0 12px;
    image-rendering: pixelated;
  }
  .secret {
    word-break: break-all;
  }
`
