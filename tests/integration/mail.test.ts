import { simpleParser } from 'mailparser';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../src-main/core';
import { startSmtp as startTestSmtp, type TestSmtp } from '../helpers/smtp';
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
async function startSmtp(port = 0) {
  const smtp = await startTestSmtp(port);
  server = smtp;
  return smtp;
}

function open(): Core {
  temp = makeTempDir();
  clock = new Date('2026-11-24T09:00:00Z');
  core = openCore({ dataDir: temp.dir, shell: 'web', now: () => clock });
  return core;
}

const pdf = new TextEncoder().encode('%PDF-1.4 test');
const queueOne = () =>
  core.services.mail.enqueue({ to: 'customer@example.kz', subject: 'Расшифровка начислений за октябрь 2026', text: 'Здравствуйте!', attachmentName: 'Расшифровка_123456_2026-10.pdf', attachment: pdf, accountId: null, language: 'ru' });

async function configureSmtp(port: number) {
  await core.services.dispatch('settings.set', { smtp: { host: '127.0.0.1', port, secure: false, user: '', password: '', from: 'billing@su.kz' } });
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
    expect(mail.attachments[0]).toMatchObject({ filename: 'Расшифровка_123456_2026-10.pdf', contentType: 'application/pdf' });
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

  it('sends a test message straight away and says when SMTP is not configured', async () => {
    open();
    expect(await core.services.dispatch('mail.test', { to: 'op@su.kz' })).toEqual({ ok: true, result: { delivered: false, message: 'SMTP_NOT_CONFIGURED' } });
    const bad = await core.services.dispatch('mail.test', { to: 'not an address' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');
    const smtp = await startSmtp();
    await configureSmtp(smtp.port);
    expect(await core.services.dispatch('mail.test', { to: 'op@su.kz' })).toEqual({ ok: true, result: { delivered: true, message: 'OK' } });
    expect(smtp.received).toHaveLength(1);
  });
});
