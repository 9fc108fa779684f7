// debts.batchMail: each customer's letter — the debt notice (or the breakdown) as a PDF, the words of
// the statement letters — through the desk's mail outbox (services/mail.ts: its delivery policy, one
// Message-ID per letter), once per mailing. The mailing is the letter and the month of the debts it
// states ('notice:2026-10'); a customer's claim (debt_mail_claims, migration 14) is taken in the same
// transaction that queues the letter, as the central service's monthly mailing claims (period,
// account): a second start, another supervisor's or one after an interruption queues only the letters
// not queued yet — nothing twice, nothing lost. Customers without an email are reported by name and
// not claimed (once an address is on file, the next start sends them theirs). The letters are made
// one by one, yielding between them, so the process keeps answering the windows meanwhile.
import { AppError } from '../../../src-shared/errors';
import { almatyDate, formatDate } from '../../../src-shared/domain/period';
import { fill, monthYear, noticeLabels, pdfLabels, renderNoticePdf } from '../../../src-shared/pdf';
import type { BatchMailOutput, DebtTarget } from '../../../src-shared/schemas/debts';
import { formatAddress } from '../../../src-shared/statements';
import { createAuditRepo } from '../../store/repos/audit';
import type { CallContext, ServiceContext } from '../context';
import type { createMailService } from '../mail';
import type { StatementsService } from '../statements';
import { loadStatementFonts } from '../statements/fonts';
import type { DebtList } from './list';

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createBatchMail(
  ctx: ServiceContext,
  debts: DebtList,
  statements: StatementsService,
  mail: Pick<ReturnType<typeof createMailService>, 'enqueue'>,
) {
  const audit = createAuditRepo(ctx.db);
  const claimed = ctx.db.prepare<[string, number], number>(
    'SELECT 1 FROM debt_mail_claims WHERE mailing = ? AND account_id = ?',
  );
  const claim = ctx.db.prepare<[string, number, number, number | null, string]>(
    'INSERT INTO debt_mail_claims (mailing, account_id, mail_id, operator_id, claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const email = ctx.db
    .prepare<[number], string | null>(
      'SELECT o.email FROM accounts a JOIN owners o ON o.id = a.owner_id WHERE a.id = ?',
    )
    .pluck();

  /** The letter of one customer: its PDF and words, in the language asked for or the owner's. */
  function letterOf(target: DebtTarget, row: { accountId: number; debtTiyn: number; months: number }) {
    const language = target.language ?? undefined;
    const printedAt = ctx.now();
    if (target.document === 'breakdown') {
      const r = statements.breakdownPdfBytes({ accountId: row.accountId, language });
      const l = pdfLabels[r.language];
      const monthText = monthYear(r.model.period, l);
      return {
        language: r.language,
        parties: r.model,
        bytes: r.bytes,
        fileName: r.fileName,
        subject: l.mailBreakdownSubject,
        document: fill(l.mailBreakdownDocument, { monthYear: monthText }),
        monthText,
      };
    }
    const { parties, language: printed } = statements.partiesIn(row.accountId, language);
    const model = { ...parties, asOf: almatyDate(printedAt), debtTiyn: row.debtTiyn, months: row.months };
    const n = noticeLabels[printed];
    return {
      language: printed,
      parties,
      bytes: renderNoticePdf(model, { fonts: loadStatementFonts(), language: printed, printedAt }),
      fileName: `${n.file}_${parties.account.number}_${model.asOf}.pdf`,
      subject: n.mailSubject,
      document: fill(n.mailDocument, { date: formatDate(model.asOf) }),
      monthText: '',
    };
  }

  async function send(target: DebtTarget, call: CallContext): Promise<BatchMailOutput> {
    const rows = debts.customersOf(target);
    const period = debts.latestPeriod() ?? almatyDate(ctx.now()).slice(0, 7);
    const mailing = `${target.document}:${period}`;
    const out: BatchMailOutput = { mailing, total: rows.length, queued: 0, already: 0, noEmail: [], skipped: [] };
    for (const [i, row] of rows.entries()) {
      if (i % 5 === 4) await breathe();
      if (claimed.get(mailing, row.accountId)) {
        out.already++;
        continue;
      }
      const to = email.get(row.accountId)?.trim();
      if (!to) {
        out.noEmail.push({ accountId: row.accountId, number: row.number, owner: row.owner });
        continue;
      }
      let letter: ReturnType<typeof letterOf>;
      try {
        letter = letterOf(target, row);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'VALIDATION') throw error;
        out.skipped.push(row.number);
        continue;
      }
      const l = pdfLabels[letter.language];
      const { utility } = letter.parties;
      const values = {
        utility: utility.name,
        account: row.number,
        address: formatAddress(letter.parties.address, l.apartment, l),
        phone: utility.phone,
        monthYear: letter.monthText,
      };
      const signature = [utility.signOff ?? '', utility.name].filter((s) => s.trim() !== '').join('\n');
      // The claim and the letter together: either both are kept or neither.
      const queued = ctx.db.transaction(() => {
        if (claimed.get(mailing, row.accountId)) return false;
        const id = mail.enqueue({
          to,
          subject: fill(letter.subject, values),
          text: fill(l.mailBody, { ...values, utility: signature, document: letter.document }),
          attachmentName: letter.fileName,
          attachment: letter.bytes,
          accountId: row.accountId,
          language: letter.language,
        });
        claim.run(mailing, row.accountId, id, call.operatorId, ctx.now().toISOString());
        return true;
      })();
      if (queued) out.queued++;
      else out.already++;
    }
    audit.record({
      at: ctx.now().toISOString(),
      operatorId: call.operatorId,
      accountId: null,
      operation: 'debts.batchMail',
      result: 'ok',
      details: { mailing, total: out.total, queued: out.queued, already: out.already, noEmail: out.noEmail.length },
    });
    return out;
  }

  return { send };
}
