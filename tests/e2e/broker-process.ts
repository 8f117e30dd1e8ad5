import { spawn, type ChildProcess } from 'node:child_process';
import { sandboxBrokerEnv } from '../sandbox/broker-config';
import { freePort } from '../sandbox/free-port';
import type { SandboxUrls } from '../sandbox/extension-config';

/**
 * A launch broker in its own process, as an organisation runs it (`npm run broker`), against the sandbox: on a
 * fixed port so it can be stopped and started again at the same address.
 */
export class BrokerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly url: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(sandbox: SandboxUrls, document: Record<string, unknown> = {}): Promise<BrokerProcess> {
    const port = await freePort();
    // Its own in-memory store: a DATABASE_URL in the test's environment (CI sets one for the store's tests) is not
    // this broker's, and with it the broker would rightly ask for a key-encryption key.
    const { DATABASE_URL: _database, BROKER_DATA_DIR: _dataDir, ...inherited } = process.env;
    const broker = new BrokerProcess(`http://127.0.0.1:${port}`, { ...inherited, ...sandboxBrokerEnv(sandbox, { document, port }) });
    await broker.resume();
    return broker;
  }

  /** Starts (again) on the same port, and waits until it is ready. */
  async resume(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/broker/main.ts'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the broker stopped: ${this.output.slice(-2000)}`);
      const ready = await fetch(`${this.url}/readyz`).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the broker did not become ready: ${this.output.slice(-2000)}`);
  }

  /**
   * What it wrote to its log in every run so far (for asserting nothing secret is there). The broker writes its log
   * a few kilobytes or a second at a time, and the rest at exit: read it after stop() to see every line.
   */
  log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

