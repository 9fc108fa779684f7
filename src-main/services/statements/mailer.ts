// mail.send: a statement (breakdown or reconciliation) rendered as the desk prints it and queued in the
// persistent mail outbox (services/mail.ts) with its letter, in the language picked on screen (else
// the owner's), signed as the service's requisites say; audited in the same transaction.
import { AppError } from '../../../src-shared/errors';
import { formatDate } from '../../../src-shared/domain/period';
import { fill, monthYear, pdfLabels } from '../../../src-shared/pdf';
import type { Breakdown, PdfLanguage } from '../../../src-shared/schemas/statements';
import { formatAddress } from '../../../src-shared/statements';
import { createAuditRepo } from '../../store/repos/audit';
import type { CallContext, ServiceContext } from '../context';
import type { createMailService } from '../mail';
import type { StatementsService } from '../statements';

export interface MailSendInput {
  accountId: number;
  document: { kind: 'breakdown'; period?: string } | { kind: 'reconciliation'; from: string; to: string };
  to?: string;
  /** the PDF language picked on screen; the letter is written in it too (else the owner's) */
  language?: PdfLanguage;
}

/** mail.send: renders the statement and queues it in the persistent mail outbox, in the language picked on screen (else the owner's). */
export function createStatementMailer(
  ctx: ServiceContext,
  statements: StatementsService,
  mail: ReturnType<typeof createMailService>,
) {
  const audit = createAuditRepo(ctx.db);
  return {
    send(input: MailSendInput, call: CallContext) {
      const doc = input.document;
      const language = input.language;
      const rendered =
        doc.kind === 'breakdown'
          ? statements.breakdownPdfBytes({ accountId: input.accountId, period: doc.period, language })
          : statements.reconciliationPdfBytes({ accountId: input.accountId, from: doc.from, to: doc.to, language });
      const to = input.to ?? rendered.model.owner.email;
      if (!to)
        throw new AppError('VALIDATION', 'No email address', {
          fields: [{ path: 'to', code: 'mail.noAddress', message: 'The owner has no email on file; type one in' }],
        });
      const l = pdfLabels[rendered.language];
      const { utility } = rendered.model;
      const values = {
        utility: utility.name,
        account: rendered.model.account.number,
        address: formatAddress(rendered.model.address, l.apartment, l),
        phone: utility.phone,
        monthYear: doc.kind === 'breakdown' ? monthYear((rendered.model as Breakdown).period, l) : '',
        from: doc.kind === 'reconciliation' ? formatDate(doc.from) : '',
        to: doc.kind === 'reconciliation' ? formatDate(doc.to) : '',
      };
      const subject = fill(doc.kind === 'breakdown' ? l.mailBreakdownSubject : l.mailReconciliationSubject, values);
      // Signed as the service's requisites say: the sign-off, then the utility's name.
      const signature = [utility.signOff ?? '', utility.name].filter((s) => s.trim() !== '').join('\n');
      const text = fill(l.mailBody, {
        ...values,
        utility: signature,
        document: fill(doc.kind === 'breakdown' ? l.mailBreakdownDocument : l.mailReconciliationDocument, values),
      });
      const id = ctx.db.transaction(() => {
        const queued = mail.enqueue({
          to,
          subject,
          text,
          attachmentName: rendered.fileName,
          attachment: rendered.bytes,
          accountId: input.accountId,
          language: rendered.language,
        });
        audit.record({
          at: ctx.now().toISOString(),
          operatorId: call.operatorId,
          accountId: input.accountId,
          operation: 'mail.send',
          result: 'ok',
          details: { mailId: queued, document: doc.kind, to },
        });
        return queued;
      })();
      return { id, to, attachmentName: rendered.fileName, language: rendered.language };
    },
  };
}
