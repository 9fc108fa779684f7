// Values as printed on statements: money, volumes, readings, dates and months, in integers only.
import { formatTiyn } from '../domain/money';
import { almatyDateTime as almatyWallTime, formatDate, type IsoDate, type Period } from '../domain/period';
import { formatCubicMetres, formatReading } from '../readings/format';
import type { Service } from '../schemas/statements';
import { fill, type PdfLabels } from './labels';

/** A sum in a table cell whose header already says ₸: '1 548,67'. */
export const money = (tiyn: number): string => formatTiyn(tiyn, { currency: false });
/** A sum in running text: '1 548,67 ₸'. */
export const moneyWithCurrency = (tiyn: number): string => formatTiyn(tiyn);
/** Litres as m³ with 3 decimals: '12,345'. */
export const volume = (litres: number): string => formatCubicMetres(litres);
/** A meter register as the customer reads it: '00123,45'. */
export const reading = (litres: number, intDigits: number, fracDigits: number): string =>
  formatReading(litres, { intDigits, fracDigits });
export const date = (iso: IsoDate): string => formatDate(iso);
/** '01.10' for the split lines of one month. */
export const dayMonth = (iso: IsoDate): string => formatDate(iso).slice(0, 5);

export function monthYear(period: Period, labels: PdfLabels): string {
  const month = labels.months[Number(period.slice(5, 7)) - 1] ?? period;
  return fill(labels.monthYear, { month, year: period.slice(0, 4) });
}

export function serviceName(service: Service, labels: PdfLabels): string {
  return service === 'water' ? labels.serviceWater : labels.serviceSewer;
}

const placeKeys: Record<string, keyof PdfLabels> = {
  kitchen: 'placeKitchen',
  bathroom: 'placeBathroom',
  toilet: 'placeToilet',
  yard: 'placeYard',
  boiler: 'placeBoiler',
};
export function placeName(place: string, labels: PdfLabels): string {
  const key = placeKeys[place];
  return key ? String(labels[key]) : place;
}

const channelKeys: Record<string, keyof PdfLabels> = {
  kaspi: 'channelKaspi',
  bank: 'channelBank',
  cash: 'channelCash',
  web: 'channelWeb',
};
export function channelName(channel: string, labels: PdfLabels): string {
  const key = channelKeys[channel];
  return key ? String(labels[key]) : channel;
}

/** 'задолженность 1 234,00 ₸', 'переплата 50,00 ₸' or 'задолженности нет'. */
export function balanceText(tiyn: number, labels: PdfLabels): string {
  if (tiyn > 0) return `${labels.debt} ${moneyWithCurrency(tiyn)}`;
  if (tiyn < 0) return `${labels.prepayment} ${moneyWithCurrency(-tiyn)}`;
  return labels.noDebt;
}

/** 'dd.MM.yyyy HH:mm' in Almaty (by the zone's name) for the footer. */
export function almatyDateTime(instant: Date): string {
  const wall = almatyWallTime(instant);
  return `${formatDate(wall.slice(0, 10))} ${wall.slice(11, 16)}`;
}
