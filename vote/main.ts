import { createApp } from 'vue'
import App from './App.vue'
import 'virtual:uno.css'
import './fonts.css'
import './base.css'

createApp(App).mount('#app')
