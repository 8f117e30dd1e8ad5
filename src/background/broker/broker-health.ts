/** Whether the launch broker says it is ready (its /readyz), within a second or two; false when it does not answer. */
export async function brokerReady(brokerUrl: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${brokerUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs), credentials: 'omit', cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}
