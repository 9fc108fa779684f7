// The service's applier of each mutation the desks push, by the mutation's one name.
import type { MutationName } from '../../src-shared/schemas/outbox';
import { contactCloseApplier, contactOpenApplier, topicSaveApplier } from './contacts';
import { metersApplier } from './meters';
import { noteAddApplier, noteRemoveApplier } from './notes';
import { readingsApplier } from './readings';
import { reviewApplier } from './review';
import { subscriptionsApplier } from './subscriptions';
import type { Applier } from './types';

// Each kind has its own context and effect types; the engine only passes them back to the same applier.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const appliers: { [N in MutationName]: Applier<N, any, any> } = {
  'readings.submit': readingsApplier,
  'readings.review': reviewApplier,
  'subscriptions.set': subscriptionsApplier,
  'meters.replace': metersApplier,
  'accountNotes.add': noteAddApplier,
  'accountNotes.remove': noteRemoveApplier,
  'contactTopics.save': topicSaveApplier,
  'contacts.open': contactOpenApplier,
  'contacts.close': contactCloseApplier,
};
