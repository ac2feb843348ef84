import type { BuildOptions } from 'esbuild'
/** esbuild's options for dist/workers.js (scripts/workers-bundle.mjs); give it an `outdir`. */
export const workersBundle: BuildOptions
