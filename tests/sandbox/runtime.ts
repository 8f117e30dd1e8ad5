import { FaultTable } from './faults';
import type { FaultRule } from './faults';
import { RequestLog } from './request-log';
import type { SandboxModule } from './types';

/** The mutable sandbox state around one server module: faults, latency and the request log. */
export interface ServerRuntime {
  readonly module: SandboxModule;
  readonly faults: FaultTable;
  latencyMs: number;
  readonly log: RequestLog;
  readonly quiet: boolean;
  /** Restores faults and latency given at start (environment), clears the log and resets settings. */
  reset(): void;
}

export function createRuntime(module: SandboxModule, startup: { latencyMs: number; rules: readonly FaultRule[] }, quiet: boolean): ServerRuntime {
  const faults = new FaultTable();
  faults.add(startup.rules);
  const runtime: ServerRuntime = {
    module,
    faults,
    latencyMs: startup.latencyMs,
    log: new RequestLog(),
    quiet,
    reset() {
      faults.clear();
      faults.add(startup.rules);
      runtime.latencyMs = startup.latencyMs;
      runtime.log.clear();
      module.settings.reset();
    },
  };
  return runtime;
}
