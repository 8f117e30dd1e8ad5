import { sendToBackground } from '../shared/messaging';

/**
 * Submits a launch form as a top-level POST so the browser follows the partner's redirect itself. The form
 * comes from the background, once, by the id in this page's address; it is built with DOM calls only.
 */
async function submitHandoff(): Promise<void> {
  const status = document.getElementById('status')!;
  const id = location.hash.slice(1);
  // The id is spent: drop it from the address and from history.
  history.replaceState(null, '', location.pathname);
  try {
    const { action, fields } = await sendToBackground('handoff.take', { id });
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = action;
    form.enctype = 'application/x-www-form-urlencoded';
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  } catch (error) {
    status.className = 'error';
    status.textContent = error instanceof Error ? error.message : 'The launch could not start.';
  }
}

void submitHandoff();
