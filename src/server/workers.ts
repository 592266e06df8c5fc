import cluster, { type Worker } from 'node:cluster';
import { openStore } from '../store/store.js';
import { bootstrapStore, type ProvisionedAccount } from '../core/accounts/provision.js';
import { systemClock } from '../core/clock.js';
import { ConfigError, type Config } from './config.js';
import { announcement, startServer } from './serve.js';
import { RestartDelay } from './restart-delay.js';

/** What a worker tells the primary once it accepts connections. */
interface ListeningMessage {
  kind: 'listening';
  url: string;
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'listening';
}

/**
 * The primary of `FIELDWORK_WORKERS` > 1: one Node process runs JavaScript on one core, so several
 * processes share the port and the store. The primary prepares the store once (migrations, the first
 * account and its token, printed once), starts the workers, replaces one that dies, and on a signal
 * lets each finish its requests before it exits.
 */
export async function superviseWorkers(config: Config, print: (line: string) => void): Promise<void> {
  if (!config.redisUrl) {
    throw new ConfigError('FIELDWORK_WORKERS above 1 needs REDIS_URL, so that the workers count requests against one set of rate limits');
  }
  const store = await openStore(config.store);
  let created: ProvisionedAccount | null;
  try {
    created = await bootstrapStore(store, config.bootstrapToken, systemClock);
  } finally {
    await store.close();
  }

  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    return worker;
  };
  const workers = Array.from({ length: config.workers }, fork);
  const url = await allListening(workers);
  print(announcement(url, `${config.store.backend}, ${config.workers} workers`, created));

  let stopping = false;
  const restartDelay = new RestartDelay();
  const pending = new Set<NodeJS.Timeout>();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const wait = restartDelay.after(startedAt.get(worker.id) ?? 0, Date.now());
    startedAt.delete(worker.id);
    process.stderr.write(`fieldwork: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another in ${wait} ms\n`);
    const timer = setTimeout(() => {
      pending.delete(timer);
      fork();
    }, wait);
    pending.add(timer);
  });
  const stop = () => {
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    void Promise.all(running.map(stopWorker)).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function allListening(workers: readonly Worker[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let listening = 0;
    const failed = (code: number | null) => {
      for (const worker of workers) worker.process.kill('SIGTERM');
      reject(new ConfigError(`a worker could not start (exit code ${code})`));
    };
    for (const worker of workers) {
      worker.once('exit', failed);
      worker.on('message', (message: unknown) => {
        if (!isListening(message)) return;
        worker.off('exit', failed);
        listening += 1;
        if (listening === workers.length) resolve(message.url);
      });
    }
  });
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve();
    worker.once('exit', () => resolve());
    worker.process.kill('SIGTERM');
  });
}

/**
 * One worker: serves until it is told to stop, by a signal or by losing its primary, then finishes the
 * requests under way.
 */
export async function serveAsWorker(config: Config): Promise<void> {
  const server = await startServer(config, () => undefined);
  const stop = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
  process.send?.({ kind: 'listening', url: server.url } satisfies ListeningMessage);
}
