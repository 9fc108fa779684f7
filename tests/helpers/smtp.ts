// A real SMTP server on 127.0.0.1 that parses every message it receives (smtp-server + mailparser).
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  received: ParsedMail[];
  /** Holds the next message after its data arrived (a slow relay): `arrived` resolves then, `release` answers it. */
  holdNext(): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** recipients refused at RCPT TO with 550 (checked at each message, so a test may change it) */
  rejectRecipient?: (address: string) => boolean;
}

export async function startSmtp(port = 0, received: ParsedMail[] = [], options: TestSmtpOptions = {}): Promise<TestSmtp> {
  let held: { arrived: () => void; released: Promise<void> } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (!options.rejectRecipient?.(address.address)) return callback();
      const error = Object.assign(new Error(`Mailbox unavailable: ${address.address}`), { responseCode: 550 });
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(async (mail) => {
        const hold = held;
        held = null;
        if (hold) {
          hold.arrived();
          await hold.released;
        }
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    received,
    holdNext() {
      let arrived!: () => void;
      let release!: () => void;
      const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
      held = { arrived, released: new Promise<void>((resolve) => (release = resolve)) };
      return { arrived: arrivedPromise, release };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
