/** The Bun binary of the npm package `bun`'s platform package (scripts/bun-path.mjs). */
export function bunBinary(): string
