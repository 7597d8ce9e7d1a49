import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { REPO_ROOT } from './test-app';
import { sleep, waitFor } from './wait';

export { sleep, waitFor };

/** The built apps (`npm test` builds first), run as a deployment would. */
export const BUILT = {
  api: resolve(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js'),
  worker: resolve(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js'),
  cli: resolve(REPO_ROOT, 'dist/apps/cli/apps/cli/src/main.js'),
} as const;

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}


/** Runs a built app to completion (the CLI); throws with its output when it fails. */
export function runBuilt(file: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): string {
  const res = spawnSync(process.execPath, [file, ...args], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, encoding: 'utf8', timeout: timeoutMs, cwd: REPO_ROOT });
  if (res.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${res.status}: ${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

/** A built app running as a child process; its output is kept for failure messages. */
export class AppProcess {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private done = false;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((ok) =>
      child.on('exit', (code, signal) => {
        this.done = true;
        ok({ code, signal });
      }),
    );
  }

  static start(name: string, file: string, env: Record<string, string>): AppProcess {
    return new AppProcess(name, spawn(process.execPath, [file], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, cwd: REPO_ROOT, stdio: 'pipe' }));
  }

  get running(): boolean {
    return !this.done;
  }

  /** The last lines of its output, for failure messages. */
  tail(lines = 30): string {
    return `--- ${this.name} (${this.running ? 'running' : 'exited'}) ---\n${this.output.split('\n').slice(-lines).join('\n')}`;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Waits until a spawned app answers; fails with its output if it exits first. */
export async function waitForLog(app: AppProcess, text: string, ms = 30_000): Promise<void> {
  await waitFor(
    `${app.name} to print "${text}"`,
    async () => {
      if (!app.running) throw new Error(`${app.name} exited:\n${app.tail()}`);
      return app.output.includes(text);
    },
    (v) => v,
    ms,
  );
}

/**
 * A private redis-server for one test file, so a test may flush or restart it without touching the
 * Redis the other test runs share. Keeps nothing on disk, like the shared one.
 */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.launch();
    return redis;
  }

  private async launch(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(`redis-server on port ${this.port}`, () => this.command((r) => r.ping()), (v) => v === 'PONG', 10_000, 50);
  }

  /** Runs one command on a short-lived connection that never retries. */
  async command<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    r.on('error', () => undefined); // reported through the rejected command
    try {
      await r.connect();
      return await fn(r);
    } finally {
      r.disconnect();
    }
  }

  /** Everything in it is lost, as after a restart of a Redis without persistence. */
  async flushAll(): Promise<void> {
    await this.command((r) => r.flushall());
  }

  /** Kills the server (SIGKILL: nothing saved) and starts a new one on the same port. */
  async restart(downMs = 1_000): Promise<void> {
    await this.kill();
    await sleep(downMs);
    await this.launch();
  }

  private async kill(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((ok) => proc.once('exit', ok));
    proc.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

/**
 * A throwaway PostgreSQL cluster for one test file (initdb in a temporary directory, run as the
 * postgres user), so a test may restart it without touching the shared server on 5432.
 */
export class PrivateCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** The URL of database `name` on this cluster (trust authentication, user postgres). */
  url(name: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  static async start(): Promise<PrivateCluster> {
    const version = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1);
    if (!version) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
    const dir = mkdtempSync(join(tmpdir(), 'duban-pg-'));
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
    const cluster = new PrivateCluster(dir, await freePort(), `/usr/lib/postgresql/${version}/bin`);
    cluster.asPostgres('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale', 'C.UTF-8', '--no-sync']);
    cluster.asPostgres('pg_ctl', cluster.pgCtlArgs('start'));
    return cluster;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private asPostgres(tool: string, args: string[]): string {
    const res = spawnSync('runuser', ['-u', 'postgres', '--', join(this.bin, tool), ...args], { encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${res.status}): ${res.stdout}\n${res.stderr}`);
    return res.stdout;
  }

  private pgCtlArgs(action: 'start' | 'stop' | 'restart'): string[] {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    const args = ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-w', '-t', '60'];
    // `immediate` stops like a crash: sessions are cut, and the next start recovers from the WAL.
    if (action !== 'start') args.push('-m', 'immediate');
    if (action !== 'stop') args.push('-o', options);
    return [...args, action];
  }

  /** Creates database `name` here as a copy of a database elsewhere (pg_dump piped into psql). */
  copyFrom(sourceUrl: string, name: string): string {
    const target = this.url(name);
    const script = `${this.bin}/createdb -h 127.0.0.1 -p ${this.port} -U postgres ${name} && ${this.bin}/pg_dump --no-owner "${sourceUrl}" | ${this.bin}/psql -q -v ON_ERROR_STOP=1 "${target}"`;
    const res = spawnSync('bash', ['-o', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0) throw new Error(`copying ${sourceUrl} into the private cluster failed: ${res.stderr}`);
    return target;
  }

  /**
   * Restarts the server under whatever load it has: every connection is cut. Asynchronous, so the
   * test's own requests go on while it happens.
   */
  async restart(): Promise<void> {
    await promisify(execFile)('runuser', ['-u', 'postgres', '--', join(this.bin, 'pg_ctl'), ...this.pgCtlArgs('restart')], { timeout: 60_000 });
  }

  stop(): void {
    try {
      this.asPostgres('pg_ctl', this.pgCtlArgs('stop'));
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
