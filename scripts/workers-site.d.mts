/** Copies the widget, the admin page and the API reference's script into `outDir` (scripts/workers-site.mjs). */
export function assembleWorkersSite(outDir?: string): string
