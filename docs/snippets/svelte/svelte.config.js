// svelte-check's configuration for the guide's snippet (the repository's vite.config.ts is not Svelte's).
export default {}
