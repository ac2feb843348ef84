/** With no `api` attribute the widget talks to the origin widget.js was loaded from. */
export const scriptOrigin: string = new URL(import.meta.url).origin
