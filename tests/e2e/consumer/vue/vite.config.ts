import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [
    vue({
      // <sms-login> and <phone-verify> are custom elements, not Vue components.
      template: {
        compilerOptions: {
          isCustomElement: (tag) => tag === 'sms-login' || tag === 'phone-verify',
        },
      },
    }),
  ],
})
