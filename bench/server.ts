/**
 * The server under test, in a child process started the way `npm start` starts it (the bundle `dist/fieldwork.mjs`), with rate
 * limits off. Its peak RSS comes from /proc/<pid>/status (VmHWM), sampled while it runs; its peak PSS (each page
 * shared by several processes split between them) from /proc/<pid>/smaps_rollup, sampled every 250 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BENCH_TOKEN } from './dataset.js';

export interface ServerChild {
  url: string;
  pid: number;
  /** Spawn to the first 200 from /healthz. */
  coldStartMs: number;
  /** Highest VmHWM seen so far, in kB: with workers, the sum of each process's own peak (an upper bound of their peak together). */
  peakRssKb(): number;
  /**
   * Highest sum of the processes' PSS seen so far, in kB: with workers, the pages they share (Node's own code, the
   * modules' files) count once in all rather than once per process. Sampled, so a peak shorter than 250 ms can be missed.
   */
  peakPssKb(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  env: Record<string, string>;
  /** Write V8 CPU profiles of the child (its main thread and tsx's loader thread) to this directory. */
  profileDir?: string;
  /** FIELDWORK_WORKERS; above 1 the workers share rate-limit counters in Redis (BENCH_REDIS_URL or the local one). */
  workers: number;
}

function vmHwmKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function pssKb(pid: number): number {
  try {
    const match = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export async function startServer(options: ServerOptions): Promise<ServerChild> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.FIELDWORK_DATA_DIR;
  Object.assign(env, options.env, {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    FIELDWORK_RATE_LIMIT: '0',
    FIELDWORK_AUTH_FAILURE_LIMIT: '0',
    FIELDWORK_BOOTSTRAP_TOKEN: BENCH_TOKEN,
    FIELDWORK_WORKERS: String(options.workers),
  });
  if (options.workers > 1) env.REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...profile, 'dist/fieldwork.mjs', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the server');
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, rejectUrl) => {
    let stdout = '';
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => rejectUrl(new Error(`the server exited with code ${code}: ${stderr.trim()}`)));
  });
  for (;;) {
    const response = await fetch(`${url}/healthz`).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((wait) => setTimeout(wait, 5));
  }
  const coldStartMs = performance.now() - started;

  const peaks = new Map<number, number>();
  let peakPss = 0;
  const sample = () => {
    const processes = [pid, ...childrenOf(pid)];
    for (const each of processes) peaks.set(each, Math.max(peaks.get(each) ?? 0, vmHwmKb(each) ?? 0));
    peakPss = Math.max(peakPss, processes.reduce((sum, each) => sum + pssKb(each), 0));
    return [...peaks.values()].reduce((sum, kb) => sum + kb, 0);
  };
  const sampler = setInterval(sample, 250);
  return {
    url,
    pid,
    coldStartMs,
    peakRssKb: sample,
    peakPssKb: () => peakPss,
    async stop() {
      sample();
      clearInterval(sampler);
      await stopChild(child);
    },
  };
}

/** The worker processes of a server started with FIELDWORK_WORKERS above 1. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
