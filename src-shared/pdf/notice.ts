// «Уведомление о задолженности»: a short letter to a customer who owes — the debt on the day, how many
// months in a row it has stood, what to do, and the utility's requisites to pay by — on one A4 page
// of the same layout as the statements (requisites on top, the parties block, the footer).
import type { StatementParties, PdfLanguage } from '../schemas/statements';
import { defineCatalogue, type Catalogue } from '../messages';
import { partyFacts, StatementPdf, type PdfMeta } from './document';
import { date, moneyWithCurrency } from './format';
import type { PdfFonts } from './fonts';
import { fill, pdfLabels, type PdfLabels } from './labels';

export interface DebtNotice extends StatementParties {
  /** the day the debt is stated at */
  asOf: string;
  debtTiyn: number;
  months: number;
}

const ru = {
  title: 'Уведомление о задолженности',
  subtitle: 'по состоянию на {date}',
  amount: 'Сумма задолженности',
  months: 'Месяцев подряд с задолженностью',
  body: 'Уважаемый абонент! По данным {utility} на {date} задолженность по лицевому счёту {account} за водоснабжение и водоотведение составляет {amount}.',
  bodyMonths: 'Задолженность не погашается {months} мес. подряд.',
  request:
    'Просим погасить задолженность в течение 10 дней со дня получения уведомления: через Kaspi, в банке, в кассе или в личном кабинете, указав номер лицевого счёта.',
  requisites: 'Реквизиты для оплаты',
  recipient: 'Получатель',
  purpose: 'Назначение платежа',
  purposeText: 'Оплата за водоснабжение, лицевой счёт {account}',
  paid: 'Если вы уже оплатили, не обращайте внимания на это уведомление. Справки по телефону {phone}.',
  file: 'Уведомление',
  mailSubject: '{utility}: уведомление о задолженности, лицевой счёт {account}',
  mailDocument: 'уведомление о задолженности на {date}',
};
const kk: Catalogue<typeof ru> = {
  title: 'Берешек туралы хабарлама',
  subtitle: '{date} жағдай бойынша',
  amount: 'Берешек сомасы',
  months: 'Қатарынан берешегі бар айлар',
  body: 'Құрметті абонент! {utility} деректері бойынша {date} күнгі {account} дербес шоты бойынша сумен жабдықтау және су бұру үшін берешек {amount} құрайды.',
  bodyMonths: 'Берешек қатарынан {months} ай өтелмей келеді.',
  request:
    'Берешекті хабарламаны алған күннен бастап 10 күн ішінде дербес шот нөмірін көрсетіп, Kaspi, банк, касса немесе жеке кабинет арқылы өтеуіңізді сұраймыз.',
  requisites: 'Төлем деректемелері',
  recipient: 'Алушы',
  purpose: 'Төлем мақсаты',
  purposeText: 'Сумен жабдықтау үшін төлем, дербес шот {account}',
  paid: 'Егер сіз төлеп қойған болсаңыз, бұл хабарламаға назар аудармаңыз. Анықтама телефоны: {phone}.',
  file: 'Хабарлама',
  mailSubject: '{utility}: берешек туралы хабарлама, дербес шот {account}',
  mailDocument: '{date} күнгі берешек туралы хабарлама',
};
const en: Catalogue<typeof ru> = {
  title: 'Notice of debt',
  subtitle: 'as at {date}',
  amount: 'Amount owed',
  months: 'Months in a row in debt',
  body: 'Dear customer, according to {utility}, as at {date} the debt on account {account} for water supply and sewerage is {amount}.',
  bodyMonths: 'The debt has stood unpaid for {months} months in a row.',
  request:
    'Please pay it within 10 days of receiving this notice, through Kaspi, a bank, the cash desk or your web account, quoting the account number.',
  requisites: 'Payment details',
  recipient: 'Recipient',
  purpose: 'Payment reference',
  purposeText: 'Water supply, account {account}',
  paid: 'If you have already paid, please disregard this notice. Enquiries: {phone}.',
  file: 'Notice',
  mailSubject: '{utility}: notice of debt, account {account}',
  mailDocument: 'notice of debt as at {date}',
};
export const noticeLabels = defineCatalogue({ ru, kk, en });
export type NoticeLabels = typeof ru;

export function noticeMeta(model: DebtNotice, language: PdfLanguage, printedAt: Date): PdfMeta {
  const n = noticeLabels[language];
  return { title: n.title, subject: n.title, printedAt, accountNumber: model.account.number };
}

/** The notice drawn from the current page on (one of its own, or one customer's in a batch). */
export function drawNotice(pdf: StatementPdf, model: DebtNotice, language: PdfLanguage): void {
  const l: PdfLabels = pdfLabels[language];
  const n = noticeLabels[language];
  const { utility } = model;
  const values = {
    utility: utility.name,
    date: date(model.asOf),
    account: model.account.number,
    amount: moneyWithCurrency(model.debtTiyn),
    months: model.months,
    phone: utility.phone,
  };
  pdf.header(model, n.title, [fill(n.subtitle, values)]);
  pdf.facts(partyFacts(model, l));
  pdf.table({
    columns: [{ kind: 'text' }, { kind: 'money' }],
    head: [],
    body: [
      [n.amount, { content: moneyWithCurrency(model.debtTiyn), styles: { fontStyle: 'bold', fontSize: 12 } }],
      ...(model.months > 0 ? [[n.months, String(model.months)]] : []),
    ],
    width: 110,
    align: 'right',
    fontSize: 10,
  });
  pdf.paragraph(fill(n.body, values));
  if (model.months > 0) pdf.paragraph(fill(n.bodyMonths, values));
  pdf.paragraph(n.request);
  pdf.section(n.requisites);
  const rows: [string, string][] = [
    [n.recipient, utility.name],
    [l.bin, utility.bin],
    [l.iban, utility.iban],
    [l.bank, utility.bank],
  ];
  if (utility.bik) rows.push([l.bik, utility.bik]);
  if (utility.kbe) rows.push([l.kbe, utility.kbe]);
  rows.push([n.purpose, fill(n.purposeText, values)]);
  pdf.facts(rows);
  pdf.paragraph(fill(n.paid, values));
  const signature = [utility.signOff ?? '', utility.name].filter((s) => s.trim() !== '');
  for (const line of signature) pdf.paragraph(line, { bold: true });
  pdf.runningTitle(n.title);
}

export function renderNoticePdf(
  model: DebtNotice,
  options: { fonts: PdfFonts; language: PdfLanguage; printedAt: Date },
): Uint8Array {
  const pdf = new StatementPdf(
    options.fonts,
    pdfLabels[options.language],
    noticeMeta(model, options.language, options.printedAt),
  );
  drawNotice(pdf, model, options.language);
  return pdf.finish();
}
