// Display formats shared by the screens: dates dd.MM.yyyy, times in Almaty, sizes.
import { almatyDateTime, formatDate } from '../src-shared/domain/period';

export { formatDate };
export { formatTiyn } from '../src-shared/domain/money';

/** An ISO instant as 'dd.MM.yyyy HH:mm' in Almaty time. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const wall = almatyDateTime(instant);
  return `${formatDate(wall.slice(0, 10))} ${wall.slice(11, 16)}`;
}

export function formatBytes(bytes: number, language: string): string {
  const units =
    language === 'en' ? ['B', 'KB', 'MB', 'GB'] : language === 'kk' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['Б', 'КБ', 'МБ', 'ГБ'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1).replace('.', language === 'en' ? '.' : ',')} ${units[unit]}`;
}
export { formatPhone } from '../src-shared/domain/phone';
