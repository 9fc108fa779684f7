// The customer pages' HTML: a tagged template that escapes every value it is given (unless it is
// already `Html`), the one page layout (language links, title, notice, error) with its style sheet, and
// the form pieces the pages share. No script anywhere: the pages work as plain forms.
import type { FastifyRequest } from 'fastify';
import { webLanguages, webTexts, type WebLanguage, type WebTexts } from './texts';

export const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2d3d;background:#eef3f8}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;background:#0b5cad;color:#fff}header a{color:#fff;margin-left:12px}
.brand{font-weight:600}main{max-width:520px;margin:32px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 16px}label{display:block;margin:12px 0 4px;font-weight:500}input{width:100%;padding:8px 10px;font:inherit;border:1px solid #b8c4d0;border-radius:4px}
input:focus{outline:2px solid #0b5cad;border-color:#0b5cad}.hint{color:#5b6b7b;font-size:14px;margin:2px 0}button{margin-top:18px;padding:9px 18px;font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:4px;cursor:pointer}
.notice{background:#e6f4ea;border:1px solid #9ccaa7;padding:10px 12px;border-radius:4px}.error{background:#fdecea;border:1px solid #e6a39d;padding:10px 12px;border-radius:4px}
.rules{font-size:14px;color:#5b6b7b}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}dt{color:#5b6b7b}dd{margin:0}.links a{margin-right:16px}`;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** HTML from a template: interpolated values are escaped unless they are already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const text = Array.isArray(value)
      ? value.map((v) => (v instanceof Html ? v.text : escapeHtml(String(v ?? '')))).join('')
      : value instanceof Html
        ? value.text
        : escapeHtml(String(value ?? ''));
    out += text + strings[i + 1]!;
  });
  return new Html(out);
}

export interface PageParts {
  title: string;
  notice?: string | null;
  error?: string | null;
  body: Html;
}

export function page(request: FastifyRequest, language: WebLanguage, parts: PageParts): string {
  const t = webTexts[language];
  const switchTo = (lang: WebLanguage) => {
    const url = new URL(request.url, 'http://x');
    url.searchParams.set('lang', lang);
    return `${url.pathname}${url.search}`;
  };
  return html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${parts.title} — ${t.siteTitle}</title>
        <link rel="stylesheet" href="/web/style.css" />
      </head>
      <body>
        <header>
          <span class="brand">${t.siteTitle}</span>
          <nav>
            ${webLanguages.filter((lang) => lang !== language).map((lang) => html`<a href="${switchTo(lang)}" hreflang="${lang}" lang="${lang}">${webTexts[lang].languageName}</a>`)}
          </nav>
        </header>
        <main>
          <h1>${parts.title}</h1>
          ${parts.notice ? html`<p class="notice" role="status">${parts.notice}</p>` : ''}${parts.error ? html`<p class="error" role="alert">${parts.error}</p>` : ''}${parts.body}
        </main>
      </body>
    </html>`.text;
}

export const field = (
  name: string,
  label: string,
  type = 'text',
  extra: { value?: string; hint?: string; autocomplete?: string } = {},
) =>
  html`<label for="${name}">${label}</label
    ><input
      id="${name}"
      name="${name}"
      type="${type}"
      value="${extra.value ?? ''}"
      autocomplete="${extra.autocomplete ?? 'off'}"
      required
    />${extra.hint ? html`<p class="hint">${extra.hint}</p>` : ''}`;
export const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}" />`;
const rules = (t: WebTexts) =>
  html`<div class="rules">
    <p>${t.rulesTitle}:</p>
    <ul>
      ${t.rules.map((r) => html`<li>${r}</li>`)}
    </ul>
  </div>`;
export const newPasswordFields = (t: WebTexts) =>
  html`${field('password', t.newPassword, 'password', { autocomplete: 'new-password' })}${field('password2', t.newPasswordAgain, 'password', { autocomplete: 'new-password' })}${rules(t)}`;
