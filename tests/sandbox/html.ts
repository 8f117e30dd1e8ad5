const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

export interface HtmlDocument {
  title: string;
  body: string;
  css?: string;
  lang?: string;
}

/** A complete page with inline CSS only: the sandbox never loads external resources. */
export function htmlDocument({ title, body, css = '', lang = 'en-GB' }: HtmlDocument): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A small page for generic errors (unknown routes, injected faults). */
export function simpleErrorPage(status: number, message: string, siteName: string): string {
  return htmlDocument({
    title: `${status} - ${siteName}`,
    css: 'body{font-family:system-ui,sans-serif;margin:2rem;color:#222}',
    body: `<h1>${escapeHtml(siteName)}</h1>
<p data-testid="error-status">${escapeHtml(status)}</p>
<p data-testid="error-message">${escapeHtml(message)}</p>`,
  });
}
