/**
 * The life of a command that starts a browser, servers and temporary folders (detect, check): everything it
 * started is stopped in reverse order on exit, on error and on Ctrl-C.
 *
 * Ctrl-C in a terminal reaches every process of the group, so it may arrive twice (npm relays it too): the first
 * one starts the clean-up and later ones wait for it, which a watchdog bounds. package.json runs these commands
 * as `node --import tsx`, not through the tsx command: that one SIGKILLs a child that has not acknowledged a
 * signal within 30 ms, which a busy machine misses, and then nothing is cleaned up.
 */
export function commandLifecycle(warn: (text: string) => void) {
  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | null = null;
  /** Set on Ctrl-C: what fails after it is the interruption, not worth a message. */
  let interrupted = false;

  function cleanUp(): Promise<void> {
    cleaning ??= (async () => {
      for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
    })();
    return cleaning;
  }

  return {
    /** Undoes what was just started, when the command ends (latest first). */
    onCleanUp(step: () => Promise<unknown>): void {
      cleanups.push(step);
    },
    cleanUp,
    /** Runs the command and exits with its code (1 on an unexpected error), cleaned up whatever happens. */
    run(main: () => Promise<number>): void {
      for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
        process.on(signal, () => {
          if (interrupted) return;
          interrupted = true;
          console.error(`Stopped (${signal}).`);
          setTimeout(() => process.exit(code), 15_000).unref();
          void cleanUp().finally(() => process.exit(code));
        });
      }
      main().then(
        (code) => process.exit(code),
        async (error: unknown) => {
          if (!interrupted) warn(error instanceof Error ? error.message : String(error));
          await cleanUp();
          process.exit(1);
        },
      );
    },
  };
}
