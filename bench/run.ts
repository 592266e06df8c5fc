/**
 * `npm run bench -- [--backend sqlite|postgres|both] [--leads N] [--duration S] [--quick] [--profile] [--workers N]`
 *
 * Seeds (or reuses) a dataset per backend through the store's bulk path, starts the server in a child
 * process with rate limits off, drives B1–B4 over HTTP with autocannon, measures the floor of B1 with
 * a bare better-sqlite3 loop, prints a table and writes bench/results/<date>-<backend>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Request } from 'autocannon';
import { prepare, type Backend, type SeedReport } from './prepare.js';
import { startServer, type ServerChild } from './server.js';
import { preflight, runLoad, type LoadResult } from './load.js';
import { B1_BATCH, B4_BATCH, ComplexBatches, LeadPicker, StageMover, b1Request, b2Request, b3Request, b4Request } from './workloads.js';
import { runFloor, type FloorResult } from './floor.js';
import { formatSummary, summariseProfile, type ProfileSummary } from './profile.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    leads: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    workers: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const leadCount = Number(values.leads ?? (quick ? 20_000 : 1_000_000));
const seconds = Number(values.duration ?? (quick ? 3 : 10));
const backends: Backend[] = values.backend === 'both' ? ['sqlite', 'postgres'] : [values.backend as Backend];
// The server's default is one worker; `--workers 2` measures one per core. Profiles are per process, so one then.
const workers = values.profile ? 1 : Number(values.workers ?? 1);
const only = new Set((values.only ?? 'B1,B2,B3,B4,floor').split(','));
if (!Number.isInteger(leadCount) || leadCount < 1000) throw new Error('--leads must be a whole number of at least 1000');
if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers must be a whole number of at least 1');
if (!(seconds > 0)) throw new Error('--duration must be a positive number of seconds');
for (const backend of backends) if (backend !== 'sqlite' && backend !== 'postgres') throw new Error('--backend must be sqlite, postgres or both');

/**
 * Connections per workload: enough to keep the server busy while one request is parsed or sent. B2 also
 * runs with one client, whose latency is the server's own; with four, each request also waits for the
 * ones ahead of it.
 */
const CONNECTIONS = { B1: 4, B2: 4, 'B2 one client': 1, B3: 16, B4: 4 } as const;
type WorkloadName = keyof typeof CONNECTIONS;

const log = (line: string) => process.stdout.write(`${line}\n`);

interface WorkloadResult extends LoadResult {
  /** Leads written per second (B1, B4). */
  leadsPerSecond?: number;
  profile?: ProfileSummary;
}

interface BackendReport {
  backend: Backend;
  date: string;
  mode: { quick: boolean; leads: number; secondsPerWorkload: number; profile: boolean; workers: number; connections: typeof CONNECTIONS };
  machine: ReturnType<typeof machine>;
  dataset: { leads: number; firstId: number; lastId: number; seededAt: string; seededThisRun: SeedReport | null; resetMs: number };
  coldStartMs: number[];
  peakRssMb: number;
  /** Peak of the processes' summed PSS: pages they share counted once. */
  peakPssMb: number;
  workloads: Record<string, WorkloadResult>;
  floor: FloorResult | null;
  /** B1 leads/s as a share of the floor's. */
  floorShare: number | null;
  wallSeconds: number;
}

function machine() {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { nproc: cpus().length, memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10, cpuModel, node: process.version, loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
}

async function runBackend(backend: Backend): Promise<BackendReport> {
  const wallStarted = performance.now();
  log(`\n== ${backend}: ${leadCount.toLocaleString('en-US')} leads, ${seconds} s per workload, ${workers} worker${workers === 1 ? '' : 's'}${quick ? ' (quick)' : ''}`);
  const prepared = await prepare(backend, leadCount, log);
  log(`  dataset ready (reset to the seeded state in ${(prepared.resetMs / 1000).toFixed(1)} s)`);
  const date = new Date().toISOString().slice(0, 10);
  const profileDir = values.profile ? resolve('bench/results/profiles', `${date}-${backend}`) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const coldStarts: number[] = [];
  let peakRssKb = 0;
  let peakPssKb = 0;
  let server: ServerChild | null = null;
  // One server for the whole run; with --profile one per workload, so each gets its own profile.
  const serverFor = async (workload: string): Promise<ServerChild> => {
    if (server && !profileDir) return server;
    if (server) await stopServer(server);
    const dir = profileDir ? join(profileDir, workload) : undefined;
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }
    server = await startServer({ env: prepared.env, profileDir: dir, workers });
    coldStarts.push(server.coldStartMs);
    log(`  server up (pid ${server.pid}) in ${server.coldStartMs.toFixed(0)} ms`);
    return server;
  };
  const stopServer = async (running: ServerChild) => {
    peakRssKb = Math.max(peakRssKb, running.peakRssKb());
    peakPssKb = Math.max(peakPssKb, running.peakPssKb());
    await running.stop();
  };

  const workloads: Record<string, WorkloadResult> = {};
  /** With --profile: how long each workload's server took to start, so its profile can skip the start. */
  const startupMs = new Map<string, number>();
  const drive = async (name: WorkloadName, describe: string, request: Request & { method: string; path: string }, leadsPerRequest?: number) => {
    if (!only.has(name.split(' ')[0]!)) return;
    const running = await serverFor(name);
    startupMs.set(name, running.coldStartMs);
    await preflight(running.url, { method: request.method, path: request.path, body: typeof request.body === 'string' ? request.body : undefined });
    log(`  ${name}: ${describe} — ${CONNECTIONS[name]} connection${CONNECTIONS[name] === 1 ? '' : 's'}, ${seconds} s`);
    const result: WorkloadResult = await runLoad({ url: running.url, connections: CONNECTIONS[name], seconds, request });
    if (leadsPerRequest) result.leadsPerSecond = result.requestsPerSecond * leadsPerRequest;
    const failed = Object.entries(result.failures);
    log(
      `    ${result.requests} ok requests, ${result.requestsPerSecond.toFixed(1)} req/s` +
        (result.leadsPerSecond ? `, ${result.leadsPerSecond.toFixed(0)} leads/s` : '') +
        `, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms` +
        (failed.length ? `, FAILED: ${JSON.stringify(result.failures)}` : ''),
    );
    workloads[name] = result;
  };

  const seed = 0xbe7c4;
  const mover = new StageMover(prepared.shape, prepared.stages, new LeadPicker(prepared.stages.length, seed), seed + 1);
  await drive('B1', `PATCH /api/v4/leads, ${B1_BATCH} leads: stage + select + url + numeric`, b1Request(prepared, mover) as Request & { method: string; path: string }, B1_BATCH);
  await drive('B2', 'GET /api/v4/leads?limit=250 filtered by a select and a stage', b2Request(prepared, seed + 2) as Request & { method: string; path: string });
  await drive('B2 one client', 'the same, one request at a time', b2Request(prepared, seed + 4) as Request & { method: string; path: string });
  await drive('B3', 'GET /api/v4/leads/{random id}', b3Request(prepared, seed + 3) as Request & { method: string; path: string });
  await drive('B4', `POST /api/v4/leads/complex, ${B4_BATCH} leads with a contact and a company`, b4Request(new ComplexBatches(prepared.shape)) as Request & { method: string; path: string }, B4_BATCH);

  // A last cold start, of a server that has not yet touched the data since the previous one stopped.
  if (server) await stopServer(server);
  server = null;
  if (!profileDir) {
    const again = await startServer({ env: prepared.env, workers });
    coldStarts.push(again.coldStartMs);
    log(`  cold start again: ${again.coldStartMs.toFixed(0)} ms`);
    await stopServer(again);
  }

  let floor: FloorResult | null = null;
  if (backend === 'sqlite' && only.has('floor')) {
    log(`  floor: B1's row changes by a bare better-sqlite3 loop, ${B1_BATCH} leads per transaction, ${seconds} s`);
    floor = runFloor(prepared, seconds);
    log(`    ${floor.leadsPerSecond.toFixed(0)} leads/s`);
  }

  if (profileDir) {
    for (const name of Object.keys(workloads)) {
      // The main thread's profile: CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile.
      const dir = join(profileDir, name);
      const file = join(dir, readdirSync(dir).find((entry) => /\.\d+\.0\.\d+\.cpuprofile$/.test(entry)) ?? 'missing.cpuprofile');
      try {
        workloads[name]!.profile = summariseProfile(file, 40, (startupMs.get(name) ?? 0) + 250);
        log(`  profile of ${name} (${file}):\n${formatSummary(workloads[name]!.profile!, 12)}`);
      } catch (error) {
        log(`  no profile for ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  const b1 = workloads.B1?.leadsPerSecond;
  return {
    backend,
    date: new Date().toISOString(),
    mode: { quick, leads: leadCount, secondsPerWorkload: seconds, profile: Boolean(profileDir), workers, connections: CONNECTIONS },
    machine: machine(),
    dataset: {
      leads: prepared.marker.leads,
      firstId: prepared.marker.firstId,
      lastId: prepared.marker.lastId,
      seededAt: prepared.marker.seededAt,
      seededThisRun: prepared.seeded,
      resetMs: prepared.resetMs,
    },
    coldStartMs: coldStarts,
    peakRssMb: peakRssKb / 1024,
    peakPssMb: peakPssKb / 1024,
    workloads,
    floor,
    floorShare: b1 !== undefined && floor ? b1 / floor.leadsPerSecond : null,
    wallSeconds: (performance.now() - wallStarted) / 1000,
  };
}

interface Target {
  label: string;
  value: (report: BackendReport) => number | null;
  unit: string;
  /** The SQLite target; PostgreSQL's is within 3× of SQLite's measured figure. */
  sqlite: number;
  higherIsBetter: boolean;
}

const TARGETS: Target[] = [
  { label: 'B1 PATCH 250 leads: leads/s', value: (r) => r.workloads.B1?.leadsPerSecond ?? null, unit: '', sqlite: 50_000, higherIsBetter: true },
  { label: 'B1 p50 ms', value: (r) => r.workloads.B1?.p50Ms ?? null, unit: 'ms', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B1 p99 ms', value: (r) => r.workloads.B1?.p99Ms ?? null, unit: 'ms', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B1 share of the storage floor', value: (r) => (r.floorShare === null ? null : r.floorShare * 100), unit: '%', sqlite: Number.NaN, higherIsBetter: true },
  { label: 'floor (bare better-sqlite3): leads/s', value: (r) => r.floor?.leadsPerSecond ?? null, unit: '', sqlite: Number.NaN, higherIsBetter: true },
  { label: 'B2 filtered list, 4 clients: p50 ms', value: (r) => r.workloads.B2?.p50Ms ?? null, unit: 'ms', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B2 filtered list, 4 clients: p99 ms', value: (r) => r.workloads.B2?.p99Ms ?? null, unit: 'ms', sqlite: 25, higherIsBetter: false },
  { label: 'B2 req/s, 4 clients', value: (r) => r.workloads.B2?.requestsPerSecond ?? null, unit: '', sqlite: Number.NaN, higherIsBetter: true },
  { label: 'B2 filtered list, 1 client: p50 ms', value: (r) => r.workloads['B2 one client']?.p50Ms ?? null, unit: 'ms', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B2 filtered list, 1 client: p99 ms', value: (r) => r.workloads['B2 one client']?.p99Ms ?? null, unit: 'ms', sqlite: 25, higherIsBetter: false },
  { label: 'B3 get by id: req/s', value: (r) => r.workloads.B3?.requestsPerSecond ?? null, unit: '', sqlite: 15_000, higherIsBetter: true },
  { label: 'B3 p99 ms', value: (r) => r.workloads.B3?.p99Ms ?? null, unit: 'ms', sqlite: 5, higherIsBetter: false },
  { label: 'B4 complex add: leads/s', value: (r) => r.workloads.B4?.leadsPerSecond ?? null, unit: '', sqlite: 5_000, higherIsBetter: true },
  { label: 'B4 p99 ms', value: (r) => r.workloads.B4?.p99Ms ?? null, unit: 'ms', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B5 peak RSS MB', value: (r) => r.peakRssMb || null, unit: 'MB', sqlite: 300, higherIsBetter: false },
  { label: 'B5 peak PSS MB (shared pages once)', value: (r) => r.peakPssMb || null, unit: 'MB', sqlite: Number.NaN, higherIsBetter: false },
  { label: 'B5 cold start ms (first)', value: (r) => r.coldStartMs[0] ?? null, unit: 'ms', sqlite: 1000, higherIsBetter: false },
  { label: 'seed: leads bulk-loaded, s', value: (r) => (r.dataset.seededThisRun ? r.dataset.seededThisRun.totalMs / 1000 : null), unit: 's', sqlite: 60, higherIsBetter: false },
];

function format(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

function verdict(target: Target, value: number | null, sqliteValue: number | null, backend: Backend): string {
  if (value === null) return '';
  let goal: number;
  if (backend === 'sqlite') goal = target.sqlite;
  else if (sqliteValue === null) return '';
  else goal = target.higherIsBetter ? sqliteValue / 3 : sqliteValue * 3;
  if (Number.isNaN(goal)) return '';
  const ok = target.higherIsBetter ? value >= goal : value <= goal;
  return `${ok ? 'ok' : 'MISS'} (${target.higherIsBetter ? '≥' : '≤'} ${format(goal)})`;
}

function printTable(reports: BackendReport[]): void {
  const sqlite = reports.find((report) => report.backend === 'sqlite') ?? null;
  const rows = TARGETS.map((target) => [
    target.label,
    ...reports.flatMap((report) => {
      const value = target.value(report);
      return [format(value), verdict(target, value, sqlite ? target.value(sqlite) : null, report.backend)];
    }),
  ]);
  const header = ['figure', ...reports.flatMap((report) => [report.backend, 'target'])];
  const widths = header.map((_cell, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  log(`\n${line(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |\n${rows.map(line).join('\n')}`);
}

async function main(): Promise<void> {
  // The server runs as `npm start` runs it: compiled, so cold start measures the server, not a TS loader.
  log('building the server (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const reports: BackendReport[] = [];
  for (const backend of backends) {
    const report = await runBackend(backend);
    reports.push(report);
    mkdirSync('bench/results', { recursive: true });
    const suffix = (quick ? '-quick' : leadCount === 1_000_000 ? '' : `-${leadCount}`) + (workers > 1 ? `-${workers}workers` : '');
    const file = join('bench/results', `${report.date.slice(0, 10)}-${backend}${suffix}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`  wrote ${file} (${report.wallSeconds.toFixed(0)} s for this backend)`);
  }
  printTable(reports);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
