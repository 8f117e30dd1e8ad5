import type { PhpkbArticle, PhpkbCategory, PhpkbUser } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';
import { PHPKB_ERRORS } from './phpkb-errors';
import type { PhpkbErrorCode } from './phpkb-errors';

export const KB_NAME = 'Sandbox Knowledge Base (PHPKB)';

const CSS = `
body{margin:0;font:15px/1.5 Georgia,serif;color:#222;background:#fbfaf7}
.kb-header{display:flex;justify-content:space-between;align-items:center;padding:.6rem 1rem;background:#2d5d3b;color:#fff}
.kb-header a{color:#fff}
main{max-width:52rem;margin:0 auto;padding:1rem}
.session{margin:0 0 1rem;padding:.5rem .75rem;background:#eef5ee;border:1px solid #c4dcc8;border-radius:4px;font-family:system-ui,sans-serif;font-size:13px}
.session dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:0}
.session dd{margin:0;font-weight:600}
.error{padding:1rem;background:#fff1f0;border:1px solid #e6b0aa;border-radius:4px}
`;

/** What the current KB session knows; rendered on every page. */
export interface SessionView {
  user: PhpkbUser;
  /** Seconds between the query's t and the login, or null when t was not sent. */
  timestampAgeS: number | null;
}

export interface KbPageContext {
  session: SessionView | null;
  returnUrl: string;
}

function renderSession({ session, returnUrl }: KbPageContext): string {
  if (!session) {
    const link = returnUrl ? ` <a data-testid="return-url" href="${e(returnUrl)}">Sign in</a>` : '';
    return `<div class="session"><span data-testid="not-signed-in">Not signed in</span>${link}</div>`;
  }
  const { user, timestampAgeS } = session;
  return `<div class="session"><dl>
<dt>Username</dt><dd data-testid="signed-in-username">${e(user.username)}</dd>
<dt>Name</dt><dd data-testid="signed-in-name">${e(user.name)}</dd>
<dt>Email</dt><dd data-testid="signed-in-email">${e(user.email)}</dd>
<dt>Groups</dt><dd data-testid="signed-in-groups">${e(user.groups.join(','))}</dd>
<dt>Hash verified</dt><dd data-testid="hash-verified">true</dd>
<dt>Timestamp age (s)</dt><dd data-testid="timestamp-age-s">${e(timestampAgeS ?? 'none')}</dd>
</dl></div>`;
}

function kbPage(title: string, context: KbPageContext, content: string): string {
  return htmlDocument({
    title: `${title} - ${KB_NAME}`,
    css: CSS,
    body: `<header class="kb-header"><a href="/">${e(KB_NAME)}</a><a href="/login.php">Login</a></header>
<main>${renderSession(context)}
${content}</main>`,
  });
}

const articleLink = (a: PhpkbArticle) => `<li><a href="/article.php?id=${e(a.id)}">${e(a.title)}</a>${a.groups.length > 0 ? ' <small>(private)</small>' : ''}</li>`;

export function renderHome(context: KbPageContext, categories: readonly PhpkbCategory[], articles: readonly PhpkbArticle[]): string {
  const sections = categories.map(
    (c) => `<section><h2><a href="/category.php?id=${e(c.id)}">${e(c.name)}</a></h2><ul>${articles
      .filter((a) => a.categoryId === c.id)
      .map(articleLink)
      .join('')}</ul></section>`,
  );
  return kbPage('Home', context, `<h1>Knowledge base</h1>\n${sections.join('\n')}`);
}

export function renderArticle(context: KbPageContext, article: PhpkbArticle): string {
  return kbPage(article.title, context, `<article><h1 data-testid="article-title">${e(article.title)}</h1><p>${e(article.body)}</p>
<p><small>Article ID: ${e(article.id)}</small></p></article>`);
}

export function renderCategory(context: KbPageContext, category: PhpkbCategory, articles: readonly PhpkbArticle[]): string {
  return kbPage(category.name, context, `<h1 data-testid="category-title">${e(category.name)}</h1><ul>${articles.map(articleLink).join('')}</ul>`);
}

export function renderKbMessage(context: KbPageContext, title: string, testId: string, message: string): string {
  return kbPage(title, context, `<div class="error"><h1>${e(title)}</h1><p data-testid="${e(testId)}">${e(message)}</p></div>`);
}

export function renderLocalLogin(context: KbPageContext): string {
  return kbPage('Login', context, '<h1>Login</h1><p data-testid="local-login">Local login is not available in the sandbox; use single sign-on.</p>');
}

export function renderSsoError(context: KbPageContext, code: PhpkbErrorCode, detail: string): string {
  return kbPage(
    `Error ${code}`,
    context,
    `<div class="error"><h1>Single sign-on error</h1>
<p>Error code: <strong data-testid="phpkb-error-code">${e(code)}</strong></p>
<p data-testid="phpkb-error-message">${e(PHPKB_ERRORS[code])}</p>
<p><small data-testid="phpkb-error-detail">${e(detail)}</small></p></div>`,
  );
}
