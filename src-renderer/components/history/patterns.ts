// How the history chart tells readings' sources apart: each bar keeps its meter's colour and gets a
// pattern by where its reading came from (ECharts decals), so the sources read in print and for
// colour-blind operators too; the legend's swatches draw the same patterns in CSS.
import type { HistoryPoint } from '../../../src-shared/schemas/history';

export const SOURCES = ['operator', 'web', 'controller', 'import', 'pending'] as const;
export type SourceKey = (typeof SOURCES)[number];

export const METER_COLOURS = ['#2f6fb3', '#3a9a8f', '#8a63b8', '#c2852b', '#5b7a2e'] as const;

/** A point's source as the chart draws it: this desk's reading not yet accepted is its own kind. */
export function sourceKey(point: Pick<HistoryPoint, 'source' | 'state'>): SourceKey {
  if (point.state === 'pending') return 'pending';
  return (SOURCES as readonly string[]).includes(point.source ?? '') ? (point.source as SourceKey) : 'operator';
}

const STRIPE = 'rgba(255,255,255,0.75)';
/** ECharts decal per source (undefined: plain colour). */
export const DECALS: Record<SourceKey, object | undefined> = {
  operator: undefined,
  web: { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -Math.PI / 4, color: STRIPE },
  controller: {
    symbol: 'circle',
    symbolSize: 0.9,
    dashArrayX: [
      [3, 3],
      [0, 3, 3, 0],
    ],
    dashArrayY: [3, 0],
    color: STRIPE,
  },
  import: { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 2], rotation: 0, color: STRIPE },
  pending: undefined,
};

const SWATCH = '#5f7fa3';
/** The legend's swatch of a source, the same pattern in CSS. */
export function swatchStyle(key: SourceKey): Record<string, string> {
  switch (key) {
    case 'web':
      return { background: `repeating-linear-gradient(45deg, ${SWATCH} 0 2px, ${STRIPE} 2px 4px), ${SWATCH}` };
    case 'controller':
      return { background: `radial-gradient(circle, ${STRIPE} 1.2px, transparent 1.4px) 0 0 / 4px 4px, ${SWATCH}` };
    case 'import':
      return { background: `repeating-linear-gradient(0deg, ${SWATCH} 0 2px, ${STRIPE} 2px 4px)` };
    case 'pending':
      return { background: SWATCH, opacity: '0.45', outline: `1px dashed ${SWATCH}`, outlineOffset: '1px' };
    default:
      return { background: SWATCH };
  }
}
