import { defineConfig } from 'vitest/config'

// One config for the widget build (vite build → dist/widget) and for vitest (edge, shared, e2e).
// Widget unit tests run in Chromium under @web/test-runner (web-test-runner.config.mjs).
export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    // widget.js plus lazy chunks beside it (intl-tel-input, phone metadata, locales, QR code);
    // import.meta.url resolves the chunks against wherever widget.js is served from.
    lib: { entry: 'widget/define.ts', formats: ['es'], fileName: () => 'widget.js' },
    rollupOptions: {
      // Lib mode keeps the entry's exports strict, which moves code shared with a lazy chunk (lit,
      // the code entry) into a third chunk loaded up front. Letting widget.js export those
      // bindings too keeps them in widget.js, so a lazy chunk costs nothing before it is used.
      preserveEntrySignatures: 'allow-extension',
      // Lib mode minifies ES output without its whitespace; the whole output is minified here.
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/widget/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
