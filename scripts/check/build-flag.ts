import { parseArgs } from './args';

/**
 * The configuration rules (src/shared/secure-url.ts) read the build flag once, when first loaded: this module
 * sets it from the command line before any of them loads, as the launch broker does, so the command checks a
 * configuration by the rules of the build it will load. Import it first.
 */
const parsed = parseArgs(process.argv.slice(2));
(globalThis as { __SANDBOX_BUILD__?: boolean }).__SANDBOX_BUILD__ = parsed.kind === 'run' && parsed.options.build === 'sandbox';
