// A change of the outbox in the operator's words, from the description the main process gives
// (`ChangeWhat`: the meter's serial, the value as the meter shows it, the period). «Отправка» and the
// audit screen both say it this way; neither decodes stored arguments.
import { useI18n } from 'vue-i18n';
import { formatDate } from '../../src-shared/domain/period';
import type { ChangeWhat } from '../../src-shared/schemas/sync';
import type { Translator } from './reasons';

/** '2026-11' → '11.2026' */
export const periodText = (period: string) => `${period.slice(5, 7)}.${period.slice(0, 4)}`;

export function useChangeWords() {
  return changeWordsWith(useI18n());
}

/** The same words with a given translator (the i18n instance's own, outside a component). */
export function changeWordsWith({ t, te, locale }: Translator) {
  /** A name given in the three languages, in the operator's. */
  const named = (names: { ru: string; kk: string; en: string }) =>
    names[(locale?.value ?? 'ru') as 'ru' | 'kk' | 'en'] ?? names.ru;
  const meterText = (serial: string | null) => serial ?? t('outbox.what.unknownMeter');

  /** What the change was, as the operator typed it. */
  function what(change: ChangeWhat): string {
    switch (change.kind) {
      case 'reading':
        return t(change.held ? 'outbox.what.readingHeld' : 'outbox.what.reading', {
          meter: meterText(change.meter),
          value: change.value,
          period: periodText(change.period),
        });
      case 'review': {
        const decision = t(`outbox.what.decisions.${change.decision}`);
        return change.value === null
          ? t('outbox.what.review', { meter: meterText(change.meter), decision })
          : t('outbox.what.reviewValue', { meter: meterText(change.meter), decision, value: change.value });
      }
      case 'replace':
        return t('outbox.what.replace', {
          meter: meterText(change.meter),
          serial: change.newSerial,
          date: formatDate(change.readOn),
        });
      case 'subscription':
        return change.subscribed ? t('outbox.what.subscribe', { email: change.email }) : t('outbox.what.unsubscribe');
      case 'note': {
        const kind = change.noteKind ? t(`note.kinds.${change.noteKind}`) : t('outbox.what.unknownNote');
        const note = change.text ? `${kind} «${change.text}»` : kind;
        return t(change.removed ? 'outbox.what.noteRemove' : 'outbox.what.noteAdd', { note });
      }
      case 'contact': {
        const channel = t(`outbox.what.channels.${change.channel ?? 'unknown'}`);
        if (!change.closed) return t('outbox.what.contactOpen', { channel });
        if (!change.topic) return t('outbox.what.contactClose', { channel });
        return t('outbox.what.contactCloseTopic', { channel, topic: named(change.topic) });
      }
      case 'topic':
        return t(change.active ? 'outbox.what.topic' : 'outbox.what.topicOff', { name: named(change.names) });
      default:
        return '';
    }
  }

  /** The kind of change (`readings.submit`) in words, the name itself where there are none. */
  function name(operation: string): string {
    const key = `outbox.names.${operation.replace(/\./g, '_')}`;
    return te(key) ? t(key) : operation;
  }

  return { what, name };
}
