// Hash history: works both from file:// in Electron and from the web shell.
import { createRouter, createWebHashHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/search' },
    { path: '/search', name: 'search', component: () => import('./views/SearchView.vue') },
    { path: '/account/:id', name: 'account', component: () => import('./views/AccountView.vue') },
    { path: '/outbox', name: 'outbox', component: () => import('./views/OutboxView.vue') },
    { path: '/mail', name: 'mail', component: () => import('./views/MailView.vue') },
    { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue') },
    { path: '/operators', name: 'operators', component: () => import('./views/OperatorsView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/search' },
  ],
});
