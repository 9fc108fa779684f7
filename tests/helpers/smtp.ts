// A real SMTP server on 127.0.0.1 that parses every message it receives (smtp-server + mailparser).
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface TestSmtp {
  port: number;
  received: ParsedMail[];
  /** Holds the next message after its data arrived (a slow relay): `arrived` resolves then, `release` answers it. */
  holdNext(): { arrived: Promise<void>; release(): void };
  /**
   * The next message is taken in whole (it is added to `received`, as a relay that queued it would)
   * and then the connection dies before the relay's reply: the sender never learns it was accepted.
   * `beforeDrop` runs first (a test kills the sending process there: a crash between DATA and the reply).
   */
  dropNext(beforeDrop?: () => Promise<void> | void): { arrived: Promise<void> };
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** recipients refused at RCPT TO: true → 550 (permanent), a number → that reply code (e.g. 451, try later) */
  rejectRecipient?: (address: string) => boolean | number;
  /** offer STARTTLS with smtp-server's own self-signed certificate (a relay with a certificate of its own) */
  starttls?: boolean;
}

interface Connection {
  session: SMTPServerSession;
  _socket: { destroy(): void };
}

export async function startSmtp(
  port = 0,
  received: ParsedMail[] = [],
  options: TestSmtpOptions = {},
): Promise<TestSmtp> {
  let held: { arrived: () => void; released: Promise<void> } | null = null;
  let drop: { arrived: () => void; beforeDrop?: () => Promise<void> | void } | null = null;
  const server: SMTPServer & { connections?: Set<Connection> } = new SMTPServer({
    authOptional: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      const refusal = options.rejectRecipient?.(address.address);
      if (!refusal) return callback();
      const error = Object.assign(new Error(`Mailbox unavailable: ${address.address}`), {
        responseCode: refusal === true ? 550 : refusal,
      });
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(async (mail) => {
        const dying = drop;
        drop = null;
        if (dying) {
          received.push(mail);
          dying.arrived();
          await dying.beforeDrop?.();
          for (const connection of server.connections ?? [])
            if (connection.session === session) connection._socket.destroy();
          return;
        }
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
  // A client that goes away mid-conversation (a service killed on purpose, a dropped letter) resets its
  // connection: smtp-server reports that as the server's 'error' event, which unheard would be thrown
  // as an uncaught exception into whichever test is running. It is what these tests make happen.
  server.on('error', () => undefined);
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
    dropNext(beforeDrop) {
      let arrived!: () => void;
      const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
      drop = { arrived, beforeDrop };
      return { arrived: arrivedPromise };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
