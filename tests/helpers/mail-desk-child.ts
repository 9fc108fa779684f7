// A desk process that sends its outbox once: `node --import tsx tests/helpers/mail-desk-child.ts DATA_DIR CLOCK`.
// tests/integration/mail.test.ts kills it (SIGKILL) while the SMTP server holds a letter it has taken
// whole, before the reply: a crash between DATA and the relay's answer.
import { openCore } from '../../src-main/core';

const [dataDir, clock] = process.argv.slice(2) as [string, string];
const core = openCore({ dataDir, shell: 'web', now: () => new Date(clock) });
await core.services.mail.drain();
core.close();
