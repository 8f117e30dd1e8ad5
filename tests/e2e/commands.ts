import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface CommandRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * One of the project's npm commands (detect, check) run as trust IT runs it, with a folder for the test's own
 * files and a temporary folder (TMPDIR) of the command's own, which must be empty again once it has exited.
 */
export class NpmCommand {
  private constructor(
    private readonly script: string,
    /** The test's own files (pages, configurations) go here. */
    readonly folder: string,
    private readonly scratch: string,
  ) {}

  static async create(script: 'detect' | 'check', folderPrefix: string): Promise<NpmCommand> {
    const folder = await mkdtemp(join(tmpdir(), folderPrefix));
    const scratch = join(folder, 'tmp');
    await mkdir(scratch);
    return new NpmCommand(script, folder, scratch);
  }

  /** A file in the test's folder. */
  file(name: string): string {
    return join(this.folder, name);
  }

  /** Runs the command to its exit; with interruptAfterMs, Ctrl-C reaches it that long after it started. */
  run(args: string[], options: { interruptAfterMs?: number } = {}): Promise<CommandRun> {
    return new Promise((done, fail) => {
      // In a process group of its own, so an interrupt reaches npm and the command as Ctrl-C in a terminal does.
      const child = spawn('npm', ['run', '--silent', this.script, '--', ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: this.scratch }, detached: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = options.interruptAfterMs === undefined ? undefined : setTimeout(() => process.kill(-child.pid!, 'SIGINT'), options.interruptAfterMs);
      child.on('error', fail);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        done({ code, signal, stdout, stderr });
      });
    });
  }

  /** What the command left in its temporary folder (tsx keeps its compile cache there). */
  async leftBehind(): Promise<string[]> {
    return (await readdir(this.scratch)).filter((name) => !name.startsWith('tsx-'));
  }

  /** Processes still running from the command's temporary folder: a browser it did not stop. */
  processesLeft(): string[] {
    return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(this.scratch));
  }

  async remove(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
