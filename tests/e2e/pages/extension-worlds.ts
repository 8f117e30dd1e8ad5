import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../browser';

interface FrameTree {
  frame: { id: string; url: string };
  childFrames?: FrameTree[];
}

interface ExecutionContext {
  origin: string;
  auxData?: { type?: string; frameId?: string };
}

/**
 * The addresses of the page's frames in which one of the extension's content scripts has run: the browser made
 * the extension's isolated world there to run it. Scripts registered to run at document_idle have run by the
 * time a document's load event has fired, so after that an empty answer for a frame is the browser's decision
 * not to run any there, not a script still to come. Frames in another process (another site) are not listed.
 */
export async function framesWithExtensionWorld(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: ExecutionContext[] = [];
    cdp.on('Runtime.executionContextCreated', (event: { context: ExecutionContext }) => contexts.push(event.context));
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: FrameTree };
    const urls = new Map<string, string>();
    const walk = (tree: FrameTree) => {
      urls.set(tree.frame.id, tree.frame.url);
      for (const child of tree.childFrames ?? []) walk(child);
    };
    walk(frameTree);
    // Enabling the runtime reports every context that already exists.
    await cdp.send('Runtime.enable');
    return contexts
      .filter((c) => c.auxData?.type === 'isolated' && c.origin.includes(EXTENSION_ID) && c.auxData.frameId !== undefined)
      .map((c) => urls.get(c.auxData!.frameId!) ?? `(frame ${c.auxData!.frameId})`);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
