/** Reading the built files the site serves (the widget, the API reference's script). */

/** Reads a file under a directory the runtime entry chose; null when there is none. */
export type ReadFile = (path: string) => Promise<Uint8Array | null>

/**
 * A file in the best encoding the browser accepts: the build writes `.br` and `.gz` beside
 * each file (scripts/build-server.mjs); without them (a bare vite build) the file goes as it is.
 */
export async function encodedFile(
  read: ReadFile,
  file: string,
  req: Request,
): Promise<{ bytes: Uint8Array; encoding?: string } | null> {
  const accepted = req.headers.get('accept-encoding') ?? ''
  for (const [encoding, ext] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${encoding}\\b`).test(accepted)) continue
    const bytes = await read(file + ext)
    if (bytes) return { bytes, encoding }
  }
  const bytes = await read(file)
  return bytes ? { bytes } : null
}
