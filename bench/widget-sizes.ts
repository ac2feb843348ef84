import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

export interface FileSize {
  file: string
  bytes: number
  gzip: number
  brotli: number
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes of every file under `dir`, or null. */
export function widgetSizes(dir: string): FileSize[] | null {
  if (!existsSync(dir)) return null
  return files(dir)
    .sort()
    .map((path) => {
      const data = readFileSync(path)
      return {
        file: relative(dir, path),
        bytes: data.length,
        gzip: gzipSync(data, { level: 9 }).length,
        brotli: brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
        }).length,
      }
    })
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

/** Prints the sizes of the built widget (`npm run build` → dist/widget), if it was built. */
export function printWidgetSizes(dir: string): void {
  console.log(`\nWidget sizes (${dir})`)
  const sizes = widgetSizes(dir)
  if (sizes === null || sizes.length === 0) {
    console.log('  not built: run `npm run build` first')
    return
  }
  const width = Math.max(...sizes.map((size) => size.file.length), 4)
  console.log(
    `  ${'file'.padEnd(width)}  ${'raw'.padStart(10)}  ${'gzip'.padStart(10)}  ${'brotli'.padStart(10)}`,
  )
  for (const size of sizes) {
    console.log(
      `  ${size.file.padEnd(width)}  ${kib(size.bytes).padStart(10)}  ${kib(size.gzip).padStart(10)}  ${kib(size.brotli).padStart(10)}`,
    )
  }
}
