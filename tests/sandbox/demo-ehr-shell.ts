import { EHR_CSS, EHR_NAME, renderAppHeader, renderFooter, renderMainNav } from './demo-ehr-pages';
import type { Clinician } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';

/** The chrome every demo EHR layout shares (header, menus, footer), so layouts differ only where they mean to. */
export interface EhrPage {
  /** Layout name, exposed as data-testid="layout-<name>" on the content grid. */
  layout: string;
  title: string;
  clinician: Clinician;
  /** Between the menus and the content grid (the classic banner position); may be empty. */
  banner: string;
  sidebar: string;
  main: string;
  css?: string;
  /** End of body: JSON blocks and scripts. */
  tail?: string;
}

export function renderEhrPage(page: EhrPage): string {
  const body = `${renderAppHeader(page.clinician)}
${renderMainNav()}
${page.banner}
<div class="layout" data-testid="layout-${e(page.layout)}">
${page.sidebar}
<main>
${page.main}
</main>
</div>
${renderFooter()}
${page.tail ?? ''}`;
  return htmlDocument({ title: `${page.title} - ${EHR_NAME}`, css: EHR_CSS + (page.css ?? ''), body });
}
