// The "Vue" snippet of demo/embed.html in a page (the test serves ORIGIN as the edge, loads
// ORIGIN/widget.js before this bundle, and bundles 'vue' as vue/dist/vue.esm-bundler.js).
// snippet:start
import { createApp, ref } from 'vue'

const app = createApp({
  setup() {
    const signedInAs = ref('')
    const signedIn = (e: Event) => {
      const { user, session } = (e as CustomEvent).detail
      // Send session.accessToken to your backend
      signedInAs.value = `Signed in: ${user.name}`
    }
    return { signedInAs, signedIn }
  },
  template: `
    <sms-login api="ORIGIN" password @sms-auth-login="signedIn" @sms-auth-register="signedIn" />
    <p id="signed-in">{{ signedInAs }}</p>`,
})
app.config.compilerOptions.isCustomElement = (tag) => tag === 'sms-login' || tag === 'phone-verify'
app.mount('#app')
// snippet:end
