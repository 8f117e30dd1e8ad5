/**
 * `npm run bench:broker`: the launch broker's throughput and the latency it adds to a launch, against the
 * sandbox's partners (20 ms latency on each), for one broker, two brokers sharing one store, and the same
 * connector called in-process. See scripts/bench-broker/run.ts.
 *
 * The partners and the provider are http://127.0.0.1 here, which only the sandbox build allows: set before any
 * project module is loaded, as `npm run broker` does with BROKER_ALLOW_LOOPBACK.
 */
(globalThis as { __SANDBOX_BUILD__?: boolean }).__SANDBOX_BUILD__ = true;

await import('./bench-broker/run');

export {};
