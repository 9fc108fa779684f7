// One text type at every boundary: a string a desk or a window sends is refused when it holds a NUL
// or another control character, or half of a UTF-16 surrogate pair. PostgreSQL cannot store either
// (a NUL in text or JSON, an unpaired surrogate in UTF-8), and such a string has never been typed by a
// person: it is a forged or broken request, and it is refused at the door with a clear field error
// instead of breaking a write later (or every sync after it).
import { z } from 'zod';

/** C0 controls other than tab, line feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type TextProblem = 'text.control' | 'text.surrogate';

/** What is wrong with a string, if anything (multiline allows tab, line feed and carriage return). */
export function textProblem(value: string, multiline = false): TextProblem | null {
  if ((multiline ? CONTROL : CONTROL_OR_NEWLINE).test(value)) return 'text.control';
  if (LONE_SURROGATE.test(value)) return 'text.surrogate';
  return null;
}

/** Every string anywhere in a JSON-like value, checked the same way (multiline allowed). */
export function deepTextProblem(value: unknown, depth = 0): TextProblem | 'text.tooDeep' | null {
  if (depth > 20) return 'text.tooDeep';
  if (typeof value === 'string') return textProblem(value, true);
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = deepTextProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key) ?? deepTextProblem(item, depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/** The first string in a JSON-like value that is not clean, with its dotted path (keys are checked too). */
export function findBadText(
  value: unknown,
  path: string[] = [],
  depth = 0,
): { path: string; problem: TextProblem | 'text.tooDeep' } | null {
  if (depth > 20) return { path: path.join('.'), problem: 'text.tooDeep' };
  if (typeof value === 'string') {
    const problem = textProblem(value, true);
    return problem ? { path: path.join('.'), problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem)
        return {
          path: [...path, key.replace(/[\u0000-\u001f\u007f\ud800-\udfff]/g, '?')].join('.'),
          problem: keyProblem,
        };
      const found = findBadText(item, [...path, key], depth + 1);
      if (found) return found;
    }
  }
  return null;
}

const refuse = (ctx: z.RefinementCtx, problem: string) =>
  ctx.addIssue({ code: 'custom', message: problem, params: { i18n: problem } });

/** A clean single-line string (or multiline for notes), bounded in length. */
export function text(options: { max: number; min?: number; multiline?: boolean; trim?: boolean }) {
  let schema = z.string();
  if (options.trim) schema = schema.trim();
  if (options.min !== undefined) schema = schema.min(options.min);
  return schema.max(options.max).superRefine((value, ctx) => {
    const problem = textProblem(value, options.multiline);
    if (problem) refuse(ctx, problem);
  });
}

/** A JSON document carried as text (an audit entry's details): well-formed and clean all through. */
export function jsonText(max: number) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return refuse(ctx, 'text.json');
      }
      const problem = deepTextProblem(parsed);
      if (problem) refuse(ctx, problem);
    });
}

/** An instant as ISO 8601 text (what desks stamp their records with). */
export const instantText = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, 'instant')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'instant');
