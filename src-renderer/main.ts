import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { applyLanguage, i18n, rememberedLanguage } from './i18n';
import { router } from './router';
import './styles.css';

applyLanguage(rememberedLanguage() ?? 'ru');
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
