// One way to talk to an SMTP relay, for the desk (src-main/services/mail.ts) and the central service
// (src-server/mailer.ts) alike: the same timeouts, the same TLS rule, the same reading of a failure
// (policy.ts). nodemailer itself is passed in (`createTransport`), so this module stays pure.
import { classifyMailError, type MailFailure } from './policy';

/** A relay as both sides describe it (the desk's settings; the service's SMTP_URL). */
export interface SmtpRelay {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, port 465); otherwise STARTTLS when the relay offers it */
  secure: boolean;
  user: string;
  password: string;
  /**
   * Accept the relay's own certificate (self-signed, or from the organisation's own authority) without
   * checking it. Off by default: a certificate a system trust store does not vouch for is refused,
   * and the letter fails with `certificate`.
   */
  trustRelayCertificate: boolean;
}

/** Bounded waits: an operator's action waits for its letter, and a claim's lease is far longer. */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** smtp://user:pass@host:port or smtps://… (the service's SMTP_URL) as a relay. */
export function relayFromUrl(url: string, trustRelayCertificate = false): SmtpRelay {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${parsed.protocol})`);
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    trustRelayCertificate,
  };
}

/** nodemailer's SMTP options for a relay (what both sides pass to createTransport). */
export function smtpTransportOptions(relay: SmtpRelay, logger?: object): Record<string, unknown> {
  return {
    host: relay.host,
    port: relay.port,
    secure: relay.secure,
    auth: relay.user ? { user: relay.user, pass: relay.password } : undefined,
    ...SMTP_TIMEOUTS,
    tls: { rejectUnauthorized: !relay.trustRelayCertificate },
    ...(logger ? { logger } : {}),
  };
}

/** What both sides need of nodemailer's transport. */
export interface MailTransport {
  sendMail(message: object): Promise<unknown>;
  close(): void;
}
export type CreateTransport = (options: Record<string, unknown>) => MailTransport;

export type SendOutcome = { ok: true } | { ok: false; failure: MailFailure; error: unknown };

/** A quiet nodemailer logger that says when a message's data has ended (the whole letter written after DATA). */
function handoverLogger(onHandedOver: () => void): object {
  const quiet = () => undefined;
  return {
    level: quiet,
    trace: quiet,
    debug: quiet,
    info(meta: unknown) {
      // smtp-connection logs { tnx: 'message', outByteCount } once the data stream has ended.
      if (meta && typeof meta === 'object' && (meta as { tnx?: unknown }).tnx === 'message' && 'outByteCount' in meta)
        onHandedOver();
    },
    warn: quiet,
    error: quiet,
    fatal: quiet,
  };
}

/**
 * Sends one message through a new connection to the relay and says what happened under the policy.
 * It watches nodemailer's log for the end of the message data (the whole letter written after DATA):
 * a failure after it without the relay's reply is `interrupted` (possibly delivered).
 */
export async function sendThroughRelay(
  createTransport: CreateTransport,
  relay: SmtpRelay,
  message: object,
): Promise<SendOutcome> {
  const lane = openRelayLane(createTransport, relay, { reuse: false });
  try {
    return await lane.send(message);
  } finally {
    lane.close();
  }
}

/** One connection to the relay that carries one letter at a time, letter after letter. */
export interface RelayLane {
  send(message: object): Promise<SendOutcome>;
  close(): void;
}

/**
 * A lane to the relay. With `reuse` (the mailing's many letters), its connection stays open between
 * letters (nodemailer's pool of one connection, closed after `idleMs` unused), so a letter costs no TCP
 * connect, greeting, EHLO or login; nodemailer's own requeue is off, so a connection lost with a letter
 * is a failure the policy reads (not a silent resend). One letter at a time, so the log's end of data is
 * this letter's. Without `reuse`: a new connection per letter, as the desk sends.
 */
export function openRelayLane(
  createTransport: CreateTransport,
  relay: SmtpRelay,
  { reuse, idleMs = 30_000 }: { reuse: boolean; idleMs?: number },
): RelayLane {
  let handedOver = false;
  const options = smtpTransportOptions(
    relay,
    handoverLogger(() => (handedOver = true)),
  );
  const transport = createTransport(
    reuse
      ? { ...options, pool: true, maxConnections: 1, maxMessages: 1000, maxRequeues: 0, idleTimeout: idleMs }
      : options,
  );
  return {
    async send(message) {
      handedOver = false;
      try {
        await transport.sendMail(message);
        return { ok: true };
      } catch (error) {
        return { ok: false, failure: classifyMailError(error, handedOver), error };
      }
    },
    close: () => transport.close(),
  };
}

/** Thrown by a sender whose caller wants an exception: the failure rides along. */
export class MailSendError extends Error {
  constructor(
    readonly failure: MailFailure,
    cause?: unknown,
  ) {
    super(failure.detail, { cause });
    this.name = 'MailSendError';
  }
}
