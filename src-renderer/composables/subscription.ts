// The account's subscription to the monthly statement by email: read, toggled, and — for a customer
// without an email — subscribed with the address asked for in the same dialog (validated by the desk,
// kept on the owner, synced through the outbox like any subscriptions.set).
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useMessage } from 'naive-ui';
import type { SubscriptionState } from '../../src-shared/schemas/subscriptions';
import { call } from '../api/client';
import { useErrors } from './errors';
import { useStatementErrors } from './statementErrors';

export function useSubscription(accountId: () => number) {
  const { t } = useI18n();
  const message = useMessage();
  const errors = useErrors();
  const statementErrors = useStatementErrors();
  const subscription = ref<SubscriptionState | null>(null);
  const askEmail = ref(false);
  const askedEmail = ref('');
  const askedFeedback = ref<string | null>(null);
  const subscribing = ref(false);

  async function load() {
    try {
      subscription.value = await call('subscriptions.get', { accountId: accountId() });
    } catch (error) {
      errors.report(error);
    }
  }
  async function subscribeWithEmail() {
    if (subscribing.value) return;
    subscribing.value = true;
    askedFeedback.value = null;
    try {
      subscription.value = await call('subscriptions.set', {
        accountId: accountId(),
        subscribed: true,
        email: askedEmail.value.trim(),
      });
      askEmail.value = false;
      message.success(t('statements.subscriptionSaved'));
    } catch (error) {
      const fields = statementErrors(error);
      askedFeedback.value = fields['email'] ?? Object.values(fields)[0] ?? null;
      if (!askedFeedback.value) errors.report(error);
    } finally {
      subscribing.value = false;
    }
  }
  async function toggle() {
    if (!subscription.value) return;
    if (!subscription.value.subscribed && !subscription.value.email) {
      askedEmail.value = '';
      askedFeedback.value = null;
      askEmail.value = true;
      return;
    }
    try {
      subscription.value = await call('subscriptions.set', {
        accountId: accountId(),
        subscribed: !subscription.value.subscribed,
      });
      message.success(t('statements.subscriptionSaved'));
    } catch (error) {
      const fields = statementErrors(error);
      if (fields['subscribed']) message.error(fields['subscribed']);
      else if (fields['email']) message.error(t('statements.errors.noAddress'));
      else errors.report(error);
    }
  }
  return { subscription, askEmail, askedEmail, askedFeedback, subscribing, load, toggle, subscribeWithEmail };
}
