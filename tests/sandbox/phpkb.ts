import { randomBytes } from 'node:crypto';
import { PHPKB } from './fixtures';
import type { PhpkbSettings, PhpkbUser } from './fixtures';
import { simpleErrorPage } from './html';
import { expiredCookie, headerValue, htmlReply, isPlainObject, jsonReply, prefersJson, redirectReply, sessionCookie } from './http-kit';
import { PHPKB_ERRORS, PhpkbError } from './phpkb-errors';
import { KB_NAME, renderArticle, renderCategory, renderHome, renderKbMessage, renderLocalLogin, renderSsoError } from './phpkb-pages';
import type { KbPageContext } from './phpkb-pages';
import { checkSsoRequest, resolveLoginUser } from './phpkb-sso';
import type { SsoInput } from './phpkb-sso';
import { createSettingsStore, isIdList } from './settings-store';
import type { SandboxModule, SandboxReply, SandboxRequest } from './types';

export const KB_COOKIE = 'phpkb_session';

interface KbSession {
  username: string;
  loginAt: number;
  timestampAgeS: number | null;
}

function isUser(value: unknown): value is PhpkbUser {
  return (
    isPlainObject(value) &&
    typeof value['username'] === 'string' &&
    value['username'] !== '' &&
    typeof value['name'] === 'string' &&
    typeof value['email'] === 'string' &&
    isIdList(value['groups']) &&
    typeof value['active'] === 'boolean'
  );
}

function validateSettings(s: PhpkbSettings): string | undefined {
  if (s.secretToken.trim() === '') return 'secretToken is mandatory and cannot be blank';
  if (!s.domainsAllowed.every((d) => typeof d === 'string' && d !== '')) return 'domainsAllowed must be a list of hostnames';
  if (!(s.expiryMinutes > 0)) return 'expiryMinutes must be > 0';
  if (!isIdList(s.defaultGroups)) return 'defaultGroups must be a list of positive integer ids';
  if (!s.users.every(isUser)) return 'users must be { username, name, email, groups: number[], active: boolean }[]';
  if (new Set(s.users.map((u) => u.username)).size !== s.users.length) return 'usernames must be unique';
  return undefined;
}

/** Form fields of a POST body (PHP's $_POST), used when a parameter is not in the URL. */
function formBody(req: SandboxRequest): URLSearchParams {
  const type = headerValue(req.headers['content-type']) ?? '';
  return type.toLowerCase().startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body) : new URLSearchParams();
}

export function createPhpkb(): SandboxModule {
  const sessions = new Map<string, KbSession>();
  const settings = createSettingsStore<PhpkbSettings>({
    defaults: () => structuredClone(PHPKB.settings),
    validate: validateSettings,
    onReset: () => sessions.clear(),
  });
  const knownGroupIds = PHPKB.groups.map((g) => g.id);

  function pageContext(req: SandboxRequest): KbPageContext {
    const session = sessions.get(req.cookies[KB_COOKIE] ?? '');
    const user = session && settings.current.users.find((u) => u.username === session.username && u.active);
    return { session: session && user ? { user, timestampAgeS: session.timestampAgeS } : null, returnUrl: settings.current.returnUrl };
  }

  function ssoErrorReply(req: SandboxRequest, error: PhpkbError): SandboxReply {
    // POST is only valid for logout, whose success answer is JSON, so POST errors are JSON too.
    if (req.method === 'POST' || prefersJson(headerValue(req.headers.accept))) {
      return jsonReply(error.status, { success: false, status: error.status, code: error.code, message: PHPKB_ERRORS[error.code], detail: error.detail });
    }
    return htmlReply(error.status, renderSsoError(pageContext(req), error.code, error.detail));
  }

  function startSession(username: string, timestampAgeS: number | null, previous: string | undefined): string {
    if (previous) sessions.delete(previous);
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, { username, loginAt: Date.now(), timestampAgeS });
    return id;
  }

  function endSessions(cookieSession: string | undefined, username: string | null): number {
    let ended = 0;
    if (cookieSession && sessions.delete(cookieSession)) ended++;
    if (username !== null) {
      for (const [id, session] of sessions) {
        if (session.username === username && sessions.delete(id)) ended++;
      }
    }
    return ended;
  }

  function handleSso(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'POST') {
      return htmlReply(405, simpleErrorPage(405, 'Method not allowed', KB_NAME), { allow: 'GET, POST' });
    }
    const form = req.method === 'POST' ? formBody(req) : new URLSearchParams();
    const input: SsoInput = {
      method: req.method,
      param: (name) => req.query.get(name) ?? form.get(name),
      referer: headerValue(req.headers.referer),
    };
    const nowSeconds = Math.floor(Date.now() / 1000) + settings.current.clockOffsetSeconds;
    const cookieSession = req.cookies[KB_COOKIE];
    try {
      const call = checkSsoRequest(input, settings.current, nowSeconds);
      if (call.mode === 'login') {
        const { user, created } = resolveLoginUser(call.identity, settings.current, knownGroupIds);
        if (created) settings.current.users.push(user);
        const ageS = call.identity.t === null ? null : nowSeconds - call.identity.t;
        const id = startSession(user.username, ageS, cookieSession);
        const target = call.deepLink ? `/${call.deepLink.type}.php?id=${call.deepLink.id}` : '/';
        return redirectReply(target, { 'set-cookie': sessionCookie(KB_COOKIE, id) });
      }
      const username = call.identity?.username ?? null;
      const ended = endSessions(cookieSession, username);
      const clear = { 'set-cookie': expiredCookie(KB_COOKIE) };
      if (req.method === 'GET') return redirectReply('/', clear);
      return jsonReply(200, { success: true, status: 200, message: 'User logged out', username, sessionsEnded: ended }, clear);
    } catch (error) {
      if (error instanceof PhpkbError) return ssoErrorReply(req, error);
      throw error;
    }
  }

  function handlePage(req: SandboxRequest): SandboxReply {
    const context = pageContext(req);
    const id = Number(req.query.get('id'));
    switch (req.path) {
      case '/':
      case '/index.php':
        return htmlReply(200, renderHome(context, PHPKB.categories, PHPKB.articles));
      case '/login.php':
        // The seed's Return URL: keep people from the local login page when SSO is the only way in.
        return settings.current.returnUrl ? redirectReply(settings.current.returnUrl) : htmlReply(200, renderLocalLogin(context));
      case '/article.php': {
        const article = PHPKB.articles.find((a) => a.id === id);
        if (!article) return htmlReply(404, renderKbMessage(context, 'Article not found', 'kb-error', 'The requested article does not exist.'));
        const allowed = article.groups.length === 0 || (context.session?.user.groups.some((g) => article.groups.includes(g)) ?? false);
        if (!allowed) return htmlReply(403, renderKbMessage(context, 'Access denied', 'access-denied', 'You do not have access to this article.'));
        return htmlReply(200, renderArticle(context, article));
      }
      case '/category.php': {
        const category = PHPKB.categories.find((c) => c.id === id);
        if (!category) return htmlReply(404, renderKbMessage(context, 'Category not found', 'kb-error', 'The requested category does not exist.'));
        return htmlReply(200, renderCategory(context, category, PHPKB.articles.filter((a) => a.categoryId === id)));
      }
      default:
        return htmlReply(404, renderKbMessage(context, 'Not found', 'kb-error', `No page at ${req.path}`));
    }
  }

  function handle(req: SandboxRequest): SandboxReply {
    if (req.path === '/sso.php') return handleSso(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, simpleErrorPage(405, 'Method not allowed', KB_NAME), { allow: 'GET, HEAD' });
    }
    return handlePage(req);
  }

  return {
    name: 'phpkb',
    handle,
    errorReply: (status, message) => htmlReply(status, simpleErrorPage(status, message, KB_NAME)),
    settings,
  };
}
