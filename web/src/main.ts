import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import * as Icons from '@element-plus/icons-vue';
import App from './App.vue';
import { router } from './router';
import { i18n } from './i18n';
import './style.css';

const app = createApp(App);
for (const [name, component] of Object.entries(Icons)) app.component(name, component);
app.use(ElementPlus).use(i18n).use(router).mount('#app');

// the app opens without a connection once it has been opened with one (public/sw.js)
if ('serviceWorker' in navigator && import.meta.env.PROD) navigator.serviceWorker.register('/sw.js').catch(() => undefined);
