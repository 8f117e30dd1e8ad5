import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../browser';

interface ExecutionContext {
  id: number;
  origin: string;
  name: string;
  auxData?: { type?: string; frameId?: string; isDefault?: boolean };
}

/**
 * Runs an expression in the extension's content-script world of a page's top frame (its isolated world), as a
 * compromised renderer could: the strongest position a page can reach without breaking out of its process.
 * Answers what the expression's promise resolves to (JSON values only).
 */
export async function evaluateInContentScript<T>(page: Page, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: ExecutionContext[] = [];
    cdp.on('Runtime.executionContextCreated', (event: { context: ExecutionContext }) => contexts.push(event.context));
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    // Enabling the runtime reports every context that already exists.
    await cdp.send('Runtime.enable');
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData.frameId === frameTree.frame.id && c.origin.includes(EXTENSION_ID));
    if (!world) throw new Error(`No content-script world of the extension in this page; contexts: ${contexts.map((c) => `${c.auxData?.type}:${c.origin}`).join(', ')}`);
    const result = (await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true })) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(`In the content-script world: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    return result.result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
