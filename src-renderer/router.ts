// Hash history: works both from file:// in Electron and from the web shell. A screen the operator's
// role cannot use is never opened (not even by its address): the operator lands on the search.
import { createRouter, createWebHashHistory } from 'vue-router';
import { canOpen } from './screens';
import { useSessionStore } from './stores/session';

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
    { path: '/held', name: 'held', component: () => import('./views/HeldReadingsView.vue') },
    { path: '/round', name: 'round', component: () => import('./views/RoundImportView.vue') },
    { path: '/debts', name: 'debts', component: () => import('./views/DebtsView.vue') },
    { path: '/contacts', name: 'contacts', component: () => import('./views/ContactsView.vue') },
    { path: '/mailing', name: 'mailing', component: () => import('./views/MailingView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/search' },
  ],
});

router.beforeEach((to) => {
  const session = useSessionStore();
  // Before sign-in nothing is shown under the sign-in screen; the frame checks again once someone is in.
  if (!session.operator) return true;
  if (typeof to.name === 'string' && !canOpen(session.operator?.role, to.name) && to.name !== 'search')
    return { name: 'search' };
  return true;
});
