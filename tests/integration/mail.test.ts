// The desk's mail outbox under the one delivery policy (src-shared/mail/policy.ts), against a real SMTP
// server on 127.0.0.1: delivery, retries with backoff, 8 attempts then failed for good, «Отправить
// снова» (one or all), a relay's refusal for good, a send interrupted after DATA (the connection, or
// the desk's process, dying before the reply) resent with the same Message-ID and marked as a possible
// duplicate, live events, the SMTP test's real outcome, and the same TLS rule on desk and service.
import { simpleParser } from 'mailparser';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { createServerMailer } from '../../src-server/mailer';
import { MAIL_MAX_ATTEMPTS, mailBackoffMs } from '../../src-shared/mail/policy';
import type { MailSendError } from '../../src-shared/mail/smtp';
import { startSmtp as startTestSmtp, type TestSmtp, type TestSmtpOptions } from '../helpers/smtp';
import { makeTempDir } from '../helpers/tmp';

let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let server: TestSmtp | undefined;
let clock = new Date('2026-11-24T09:00:00Z');
afterEach(async () => {
  core?.close();
  temp?.cleanup();
  await server?.close();
  server = undefined;
});

/** A real SMTP server on 127.0.0.1, closed after each test. */
async function startSmtp(port = 0, options: TestSmtpOptions = {}) {
  const smtp = await startTestSmtp(port, [], options);
  server = smtp;
  return smtp;
}

/** A port on 127.0.0.1 nothing listens on (a relay that is down). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

function open(): Core {
  temp = makeTempDir();
  clock = new Date('2026-11-24T09:00:00Z');
  core = openCore({ dataDir: temp.dir, shell: 'web', now: () => clock });
  return core;
}

const pdf = new TextEncoder().encode('%PDF-1.4 test');
const queueOne = () =>
  core.services.mail.enqueue({
    to: 'customer@example.kz',
    subject: 'Расшифровка начислений за октябрь 2026',
    text: 'Здравствуйте!',
    attachmentName: 'Расшифровка_123456_2026-10.pdf',
    attachment: pdf,
    accountId: null,
    language: 'ru',
  });

async function configureSmtp(port: number, trustRelayCertificate = false) {
  const set = await core.services.dispatch('settings.set', {
    smtp: {
      host: '127.0.0.1',
      port,
      secure: false,
      user: '',
      password: '',
      from: 'billing@su.kz',
      trustRelayCertificate,
    },
  });
  expect(set.ok).toBe(true);
}

describe('mail outbox', () => {
  it('delivers a queued message with its PDF attached through SMTP', async () => {
    open();
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    queueOne();
    expect(await core.services.mail.drain()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe('Расшифровка начислений за октябрь 2026');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('customer@example.kz');
    expect(mail.attachments[0]).toMatchObject({
      filename: 'Расшифровка_123456_2026-10.pdf',
      contentType: 'application/pdf',
    });
    const outbox = await core.services.dispatch('mail.outbox', {});
    expect(outbox.ok && outbox.result).toMatchObject({ counts: { sent: 1, queued: 0 }, smtpConfigured: true });
  });

  it('keeps a message queued while SMTP is down and delivers it exactly once when it is back', async () => {
    open();
    const probe = await startSmtp();
    const port = probe.port;
    await server!.close();
    server = undefined;
    await configureSmtp(port);
    queueOne();
    expect(await core.services.mail.drain()).toBe(0);
    let outbox = core.services.mail.outbox(10);
    expect(outbox.items[0]).toMatchObject({ state: 'queued', attempts: 1 });
    expect(outbox.items[0]!.lastError).toBeTruthy();

    // Not yet due: nothing is attempted before the backoff has passed.
    const smtp = await startSmtp(port);
    expect(await core.services.mail.drain()).toBe(0);
    clock = new Date(clock.getTime() + 31_000);
    const sentNow = await core.services.mail.drain();
    expect(core.services.mail.outbox(10).items[0]).toMatchObject({ state: 'sent' });
    expect(sentNow).toBe(1);
    expect(await core.services.mail.drain()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    outbox = core.services.mail.outbox(10);
    expect(outbox.items[0]).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
  });

  it('writes .eml files into the mail folder when no SMTP server is configured', async () => {
    open();
    queueOne();
    expect(await core.services.mail.drain()).toBe(1);
    const item = core.services.mail.outbox(10).items[0]!;
    expect(item.state).toBe('sent');
    expect(item.emlFile).toMatch(/mail[\\/]000001\.eml$/);
    expect(existsSync(item.emlFile!)).toBe(true);
    const parsed = await simpleParser(readFileSync(item.emlFile!));
    expect(parsed.subject).toBe('Расшифровка начислений за октябрь 2026');
    expect(parsed.attachments).toHaveLength(1);
  });

  it('gives every letter one Message-ID (the sender’s domain) and tells the windows each change of the outbox', async () => {
    open();
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    const events: { name: string; payload: unknown }[] = [];
    core.ctx.events.subscribe((name, payload) => events.push({ name, payload }));
    queueOne();
    const [queued] = core.services.mail.outbox(10).items;
    expect(queued!.messageId).toMatch(/^<[0-9a-f-]{36}@su\.kz>$/);
    expect(events.at(-1)).toEqual({
      name: 'mail.changed',
      payload: { counts: { queued: 1, sending: 0, sent: 0, failed: 0 }, nextAttemptAt: clock.toISOString() },
    });
    await core.services.mail.drain();
    expect(smtp.received[0]!.messageId).toBe(queued!.messageId);
    expect(
      events
        .filter((e) => e.name === 'mail.changed')
        .map((e) => (e.payload as { counts: Record<string, number> }).counts),
    ).toEqual([
      { queued: 1, sending: 0, sent: 0, failed: 0 },
      { queued: 0, sending: 1, sent: 0, failed: 0 },
      { queued: 0, sending: 0, sent: 1, failed: 0 },
    ]);
  });

  it('a letter queued while the outbox is being sent goes out in the same drain, not at the next tick', async () => {
    open();
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    queueOne();
    const held = smtp.holdNext();
    const running = core.services.mail.drain();
    await held.arrived;
    queueOne();
    expect(core.services.mail.drain()).toBe(running); // one drain at a time; it looks again before it ends
    held.release();
    expect(await running).toBe(2);
    expect(smtp.received).toHaveLength(2);
  });

  it('after 8 attempts over about 64 minutes a letter is failed for good, with the reason in words; «Отправить снова» sends one or all again, with the same Message-ID', async () => {
    open();
    const port = await closedPort();
    await configureSmtp(port);
    const first = queueOne();
    const second = queueOne();
    const started = clock.getTime();
    const item = (id: number) => core.services.mail.outbox(10).items.find((i) => i.id === id)!;
    for (let attempt = 1; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
      expect(await core.services.mail.drain()).toBe(0);
      const now = item(first);
      expect(now).toMatchObject({ attempts: attempt, errorKind: 'connectionRefused', possibleDuplicate: false });
      expect(now.lastError).toContain('ECONNREFUSED');
      if (attempt < MAIL_MAX_ATTEMPTS) {
        expect(now.state).toBe('queued');
        expect(now.nextAttemptAt).toBe(new Date(clock.getTime() + mailBackoffMs(attempt)).toISOString());
        expect(core.services.mail.outbox(10).nextAttemptAt).toBe(now.nextAttemptAt);
        later(mailBackoffMs(attempt) - 1_000);
        expect(await core.services.mail.drain(), 'not before its time').toBe(0);
        later(1_000);
      } else expect(now.state).toBe('failed');
    }
    expect((clock.getTime() - started) / 60_000).toBeCloseTo(63.5, 5);
    expect(core.services.mail.outbox(10).counts).toEqual({ queued: 0, sending: 0, sent: 0, failed: 2 });
    later(24 * 3600_000);
    expect(await core.services.mail.drain(), 'failed for good: no more automatic attempts').toBe(0);

    // One letter again while the relay is still down: one attempt, failed again, said why.
    const one = await core.services.dispatch('mail.resend', { id: first });
    expect(one).toEqual({ ok: true, result: { resent: 1 } });
    expect(item(first)).toMatchObject({ state: 'queued' });
    await core.services.mail.drain();
    expect(item(first)).toMatchObject({
      state: 'failed',
      attempts: MAIL_MAX_ATTEMPTS + 1,
      errorKind: 'connectionRefused',
    });

    // The relay is back: all of them again, each delivered once under its own Message-ID.
    const smtp = await startSmtp(port);
    const all = await core.services.dispatch('mail.resend', { all: true });
    expect(all).toEqual({ ok: true, result: { resent: 2 } });
    expect(await core.services.mail.drain()).toBe(2);
    expect(smtp.received.map((m) => m.messageId)).toEqual([item(first).messageId, item(second).messageId]);
    expect(item(second)).toMatchObject({
      state: 'sent',
      attempts: MAIL_MAX_ATTEMPTS + 1,
      lastError: null,
      errorKind: null,
    });
    const again = await core.services.dispatch('mail.resend', { id: first });
    expect(again.ok ? null : again.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'mail.notFailed' } });
    const audit = core.db
      .prepare("SELECT details FROM audit_log WHERE operation = 'mail.resend' ORDER BY id")
      .pluck()
      .all();
    expect(audit).toEqual([JSON.stringify({ mailId: first }), JSON.stringify({ letters: 2 })]);
  });

  it('a letter waiting for its next attempt after an error is sent now from «Почта», not minutes later', async () => {
    open();
    const port = await closedPort();
    await configureSmtp(port);
    const id = queueOne();
    const item = () => core.services.mail.outbox(10).items.find((i) => i.id === id)!;
    // Not yet tried: nothing to hurry.
    expect(await core.services.dispatch('mail.resend', { id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await core.services.mail.drain();
    expect(item()).toMatchObject({ state: 'queued', attempts: 1 });
    expect(Date.parse(item().nextAttemptAt)).toBeGreaterThan(clock.getTime());
    const smtp = await startSmtp(port);
    expect(await core.services.dispatch('mail.resend', { id })).toEqual({ ok: true, result: { resent: 1 } });
    expect(item().nextAttemptAt).toBe(clock.toISOString());
    expect(await core.services.mail.drain()).toBe(1);
    expect(smtp.received.map((m) => m.messageId)).toEqual([item().messageId]);
    expect(item()).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a relay’s refusal for good (550) fails the letter at once, with the reason in words', async () => {
    open();
    const smtp = await startSmtp(0, { rejectRecipient: () => true });
    await configureSmtp(smtp.port);
    queueOne();
    await core.services.mail.drain();
    const [item] = core.services.mail.outbox(10).items;
    expect(item).toMatchObject({
      state: 'failed',
      attempts: 1,
      errorKind: 'recipientRefused',
      possibleDuplicate: false,
    });
    expect(item!.lastError).toContain('550');
  });

  it('a connection that dies after the whole letter went out, before the reply: resent with the same Message-ID, marked as a possible duplicate', async () => {
    open();
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    const id = queueOne();
    const dropped = smtp.dropNext();
    expect(await core.services.mail.drain()).toBe(0);
    await dropped.arrived;
    const [item] = core.services.mail.outbox(10).items;
    expect(item).toMatchObject({ id, state: 'queued', attempts: 1, errorKind: 'interrupted', possibleDuplicate: true });
    later(mailBackoffMs(1));
    expect(await core.services.mail.drain()).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect(new Set(smtp.received.map((m) => m.messageId))).toEqual(new Set([item!.messageId]));
    expect(core.services.mail.outbox(10).items[0]).toMatchObject({
      state: 'sent',
      attempts: 2,
      possibleDuplicate: true,
      errorKind: null,
    });
  });

  it('a crash between SMTP DATA and the reply: after the restart the letter is sent again with the same Message-ID and marked «возможен повтор»', async () => {
    open();
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    const id = queueOne();
    core.close();
    // Another process (the desk as it was) sends it; the relay takes the letter whole, and the desk dies before the reply.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/helpers/mail-desk-child.ts', temp.dir, clock.toISOString()],
      { stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const dropped = smtp.dropNext(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await dropped.arrived;
    expect(await exited).toBe('SIGKILL');
    expect(smtp.received).toHaveLength(1);

    // The restart: the letter left 'sending' is an interrupted attempt.
    core = openCore({ dataDir: temp.dir, shell: 'web', now: () => clock });
    expect(core.services.mail.outbox(10).items[0]).toMatchObject({ id, state: 'sending', attempts: 1 });
    expect(core.services.mail.recoverInterrupted()).toBe(1);
    const [recovered] = core.services.mail.outbox(10).items;
    expect(recovered).toMatchObject({
      id,
      state: 'queued',
      attempts: 1,
      errorKind: 'interrupted',
      possibleDuplicate: true,
      messageId: smtp.received[0]!.messageId,
    });
    expect(recovered!.nextAttemptAt).toBe(new Date(clock.getTime() + mailBackoffMs(1)).toISOString());
    later(mailBackoffMs(1));
    expect(await core.services.mail.drain()).toBe(1);
    // At most one Message-ID reached the receiver, however often it came.
    expect(smtp.received).toHaveLength(2);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(1);
    expect(core.services.mail.outbox(10).items[0]).toMatchObject({
      id,
      state: 'sent',
      attempts: 2,
      possibleDuplicate: true,
    });
    expect(core.services.mail.recoverInterrupted()).toBe(0);
  }, 60_000);

  it('the SMTP test reports the real outcome: failed with the relay down (ECONNREFUSED), sent through a relay, saved as .eml without SMTP', async () => {
    open();
    const saved = await core.services.dispatch('mail.test', { to: 'op@su.kz' });
    expect(saved).toEqual({
      ok: true,
      result: {
        outcome: 'saved',
        reason: null,
        message: 'SMTP_NOT_CONFIGURED',
        file: expect.stringMatching(/mail[\\/]test-20261124T090000-[0-9a-f]{8}\.eml$/),
      },
    });
    const file = saved.ok ? (saved.result as { file: string }).file : '';
    expect(existsSync(file)).toBe(true);
    expect((await simpleParser(readFileSync(file))).to).toMatchObject({ text: 'op@su.kz' });
    const bad = await core.services.dispatch('mail.test', { to: 'not an address' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');

    await configureSmtp(await closedPort());
    const down = await core.services.dispatch('mail.test', { to: 'op@su.kz' });
    expect(down).toEqual({
      ok: true,
      result: {
        outcome: 'failed',
        reason: 'connectionRefused',
        message: expect.stringContaining('ECONNREFUSED'),
        file: null,
      },
    });

    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    expect(await core.services.dispatch('mail.test', { to: 'op@su.kz' })).toEqual({
      ok: true,
      result: { outcome: 'sent', reason: null, message: 'OK', file: null },
    });
    expect(smtp.received).toHaveLength(1);
  });

  it('TLS as on the service: a relay’s own (self-signed) certificate is refused by desk and service alike, and accepted by both with the setting', async () => {
    open();
    const smtp = await startSmtp(0, { starttls: true });
    await configureSmtp(smtp.port);
    const desk = await core.services.dispatch('mail.test', { to: 'op@su.kz' });
    expect(desk.ok && desk.result).toMatchObject({ outcome: 'failed', reason: 'certificate' });
    const letter = { to: 'op@su.kz', subject: 'AquaDesk', text: 'test' };
    const service = createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
    const refused = await service.send(letter).then(
      () => null,
      (error: MailSendError) => error,
    );
    expect(refused?.failure).toMatchObject({ kind: 'certificate', possiblyDelivered: false });
    expect(smtp.received).toHaveLength(0);

    await configureSmtp(smtp.port, true);
    const trusted = await core.services.dispatch('mail.test', { to: 'op@su.kz' });
    expect(trusted.ok && trusted.result).toMatchObject({ outcome: 'sent' });
    await createServerMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, trustRelayCertificate: true }).send(letter);
    expect(smtp.received).toHaveLength(2);
  });
});
