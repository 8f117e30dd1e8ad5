/**
 * The Node options `npm run broker` starts the broker with (package.json), so that the benchmark's brokers run as
 * shipped: garbage collection on the main thread only, and one V8 helper thread. On a small host shared with
 * other processes, fewer threads waking at once means fewer moments when the event loop waits for a core.
 */
export const SHIPPED_BROKER_NODE_OPTIONS = '--single-threaded-gc --v8-pool-size=1';
