import { createApp } from 'vue'
import 'sms-auth/widget/define'
import App from './App.vue'

createApp(App).mount('#app')
