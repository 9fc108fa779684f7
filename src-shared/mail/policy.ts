// The one delivery policy of both outboxes: the desk's mail outbox (src-main/services/mail.ts, shown on
// «Почта») and the central service's monthly mailing (src-server/mailing.ts). Both keep a row per letter
// that is claimed ('sending') before the relay is asked and settled after its answer, and both read
// this module for how many attempts a letter gets, how long to wait between them, what an interrupted
// send is and what is done with one.
//
// - Every letter has one Message-ID, made when the letter is made and sent with every attempt, so a
//   letter sent twice is one letter to a receiving system that deduplicates (and to our tests).
// - A failed attempt is tried again after 30 s, 1, 2, 4, 8, 16, 32 min: 8 attempts over about 64
//   minutes; after the 8th failure the letter is failed for good. A relay's permanent refusal (a 5xx
//   reply to the recipient or the message: RFC 5321 says not to repeat it as it is) fails it at once.
//   A person's resend («Отправить снова» on «Почта», a hand run of the mailing) tries a failed letter
//   once more right away, whatever its count.
// - An attempt is *interrupted* when the letter may have reached the relay but its answer never came
//   back: the whole message was handed over (after DATA) and then the connection died or timed out, or
//   the process died while a letter was claimed (a claim older than SENDING_LEASE_MS — every SMTP wait
//   is bounded far below it — or, on the desk, one found at start: its data folder serves one process).
//   Such a letter is sent again, as a failed attempt is, with the same Message-ID, and marked
//   «возможен повтор» (possible duplicate) for good: the customer may find it twice in the mailbox.
//   Not resending would lose letters the relay never got; resending under a new Message-ID (as the
//   desk used to) makes a duplicate nobody can recognise.

import { senderAddress } from './sender';
import { RETRY, retryDelayMs } from '../retry';

/** The attempts and waits are the mail policy of the one retry module (src-shared/retry.ts). */
export const MAIL_MAX_ATTEMPTS = RETRY.mail.attempts;
export const MAIL_FIRST_BACKOFF_MS = RETRY.mail.firstMs;
export const MAIL_MAX_BACKOFF_MS = RETRY.mail.maxMs;
/** A claim ('sending') older than this belongs to a process that is gone (SMTP waits are bounded at 10/30 s). */
export const SENDING_LEASE_MS = 10 * 60_000;
/** Failure texts are kept this long (a relay's reply can be long). */
export const MAX_FAILURE_DETAIL = 1000;

/** The wait after failed attempt number `attempts` (1-based): 30 s, doubling, at most an hour. */
export function mailBackoffMs(attempts: number): number {
  return retryDelayMs(RETRY.mail, Math.max(1, attempts));
}

/** Why an attempt failed, in a word each side turns into words of its own (i18n `mail.reasons`, the CLI's English). */
export const mailFailureKinds = [
  'connectionRefused',
  'hostNotFound',
  'timeout',
  'connectionLost',
  'certificate',
  'tls',
  'auth',
  'recipientRefused',
  'messageRefused',
  'relayBusy',
  'interrupted',
  'noAddress',
  'other',
] as const;
export type MailFailureKind = (typeof mailFailureKinds)[number];

export interface MailFailure {
  kind: MailFailureKind;
  /** the relay refused it for good (5xx): no automatic retry */
  permanent: boolean;
  /** the relay may have accepted it: a resend may reach the customer twice («возможен повтор») */
  possiblyDelivered: boolean;
  /** the error as it came (the relay's reply, the socket's code), for the curious */
  detail: string;
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  cause?: unknown;
}

const errorText = (error: unknown): string => {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return (text ?? String(error)).slice(0, MAX_FAILURE_DETAIL);
};

const CERTIFICATE =
  /self[- ]signed|certificate|unable to verify|UNABLE_TO_|CERT_|DEPTH_ZERO|Hostname\/IP does not match/i;
const TLS = /\bTLS\b|SSL|wrong version number|EPROTO|ERR_SSL/i;

/**
 * What a failed attempt means under the policy. `handedOver`: the whole message went to the relay
 * (after DATA), so an error without the relay's reply may hide an accepted letter.
 */
export function classifyMailError(error: unknown, handedOver = false): MailFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const detail = errorText(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = `${code} ${detail} ${e.cause instanceof Error ? e.cause.message : ''}`;
  const failure = (kind: MailFailureKind, permanent = false, possiblyDelivered = false): MailFailure => ({
    kind,
    permanent,
    possiblyDelivered,
    detail,
  });
  if (responseCode !== null) {
    // The relay answered: it did not take the letter, so a resend is no duplicate.
    if (code === 'EAUTH' || responseCode === 535 || responseCode === 534) return failure('auth');
    if (responseCode >= 500)
      return failure(code === 'EENVELOPE' || e.command === 'RCPT TO' ? 'recipientRefused' : 'messageRefused', true);
    return failure('relayBusy');
  }
  if (handedOver) return failure('interrupted', false, true);
  if (code === 'EAUTH') return failure('auth');
  if (/ECONNREFUSED/.test(text)) return failure('connectionRefused');
  if (/ENOTFOUND|EAI_AGAIN|EDNS/.test(text)) return failure('hostNotFound');
  if (CERTIFICATE.test(text)) return failure('certificate');
  if (code === 'ETLS' || TLS.test(text)) return failure('tls');
  if (/ETIMEDOUT|timeout|timed out/i.test(text)) return failure('timeout');
  if (/ECONNECTION|ECONNRESET|EPIPE|closed/i.test(text)) return failure('connectionLost');
  return failure('other');
}

/** A claim whose process is gone: the letter may have reached the relay. */
export const interruptedFailure = (
  detail = 'the sender stopped while the letter was with the relay; delivery unknown',
): MailFailure => ({
  kind: 'interrupted',
  permanent: false,
  possiblyDelivered: true,
  detail,
});

/** When to try a letter again after failed attempt number `attempts`, or null: failed for good. */
export function nextAttemptAt(attempts: number, failure: MailFailure, now: Date): Date | null {
  if (failure.permanent || attempts >= MAIL_MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + mailBackoffMs(attempts));
}

/** Whether a letter claimed at `claimedAt` is still being sent by a live process. */
export const claimExpired = (claimedAt: Date, now: Date): boolean =>
  now.getTime() - claimedAt.getTime() > SENDING_LEASE_MS;

/** The Message-ID of a letter: made once, from a random `unique` and the sender's domain. */
export function messageIdFor(unique: string, sender: string | null | undefined): string {
  const domain = /@([A-Za-z0-9.-]+)$/.exec(senderAddress(sender ?? ''))?.[1] ?? 'aquadesk.local';
  return `<${unique}@${domain}>`;
}

/** The kinds in English, for the service's log and CLI (the desk says them through its i18n). */
export const mailFailureWords: Record<MailFailureKind, string> = {
  connectionRefused: 'the SMTP server refused the connection (ECONNREFUSED): it is down or the host/port is wrong',
  hostNotFound: 'the SMTP server’s name was not found (DNS)',
  timeout: 'the SMTP server did not answer in time',
  connectionLost: 'the connection to the SMTP server broke before the letter was handed over',
  certificate: 'the SMTP server’s certificate is not trusted (self-signed or for another name)',
  tls: 'the encrypted connection could not be set up (check the port and the TLS setting)',
  auth: 'the SMTP server refused the user name or password',
  recipientRefused: 'the SMTP server refused the recipient’s address',
  messageRefused: 'the SMTP server refused the letter',
  relayBusy: 'the SMTP server asked to try later',
  interrupted:
    'the send was interrupted after the letter was handed over: it may have arrived, it is resent with the same Message-ID',
  noAddress: 'no email address',
  other: 'the letter could not be sent',
};
