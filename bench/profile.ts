/**
 * Summaries of V8 CPU profiles (`--profile` writes one per workload): self time by function, and by
 * area (our layers, the libraries, native work), so BENCHMARKS.md can say what limits each figure.
 * Also usable alone: `npx tsx bench/profile.ts <file.cpuprofile> [top]`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples outside idle time. */
  busyShare: number;
  areas: { area: string; share: number }[];
  functions: { name: string; share: number }[];
  /** Bundles whose frames keep their bundle lines: their source map is from a later build than the profile. */
  staleSourceMaps: string[];
}

const AREAS: [RegExp, string][] = [
  // better-sqlite3's calls are native and bill their time to the JavaScript frame that made them.
  [/node_modules\/kysely\/dist\/esm\/dialect\/sqlite\/sqlite-driver\.js/, 'SQLite (native calls from kysely\'s driver)'],
  [/node_modules\/kysely\//, 'kysely (query building, result mapping)'],
  [/node_modules\/better-sqlite3\//, 'better-sqlite3 (SQLite calls)'],
  [/node_modules\/pg(-protocol|-types)?\//, 'pg (protocol, parsing)'],
  [/node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|pino|fast-querystring|fast-uri|ajv)/, 'fastify & plugins'],
  [/node_modules\/qs\//, 'qs (query strings)'],
  [/node_modules\/autocannon\//, 'autocannon'],
  [/node_modules\//, 'other libraries'],
  [/\/src\/store\//, 'src/store (repositories)'],
  [/\/src\/core\//, 'src/core (engine)'],
  [/\/src\/dialects\//, 'src/dialects (Kommo codec, render)'],
  [/\/src\/server\//, 'src/server'],
  [/^node:|^internal|^$/, 'node internals / native'],
];

/**
 * The server runs from the bundle (`dist/fieldwork.mjs`); its source map (written next to it by `npm run build`)
 * gives each frame back its TypeScript or library file and line, so the areas and names below mean something.
 * A map written after the profile belongs to a later build, whose lines are not the profile's: it is not used.
 */
class SourceMaps {
  private readonly maps = new Map<string, SourceMap | null>();
  /** Bundles whose map was newer than the profile. */
  readonly stale = new Set<string>();

  constructor(private readonly profiledAt: number) {}

  original(frame: CallFrame): CallFrame {
    if (!frame.url.startsWith('file://')) return frame;
    const file = fileURLToPath(frame.url);
    const map = this.mapOf(file);
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry || !('originalSource' in entry)) return frame;
    return { ...frame, url: pathToFileURL(resolve(dirname(file), entry.originalSource)).href, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
  }

  private mapOf(file: string): SourceMap | null {
    let map = this.maps.get(file);
    if (map === undefined) {
      const mapFile = `${file}.map`;
      const exists = existsSync(mapFile);
      const usable = exists && statSync(mapFile).mtimeMs <= this.profiledAt;
      if (exists && !usable) this.stale.add(file);
      map = usable ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null;
      this.maps.set(file, map);
    }
    return map;
  }
}

function areaOf(frame: CallFrame): string {
  const { functionName, url } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'native (program)';
  if (functionName === 'stringify' || functionName === 'parse') return url ? 'other' : 'JSON (native stringify/parse)';
  for (const [pattern, area] of AREAS) if (pattern.test(url)) return area;
  return 'other';
}

/** `skipMs`: leave out the first milliseconds of the profile (the server's start, before the load began). */
export function summariseProfile(file: string, top = 25, skipMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfTime = new Map<number, number>();
  let elapsed = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsed += delta;
    if (elapsed / 1000 >= skipMs) selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const sourceMaps = new SourceMaps(statSync(file).mtimeMs);
  for (const node of profile.nodes) {
    const time = selfTime.get(node.id) ?? 0;
    if (time === 0) continue;
    const frame = sourceMaps.original(node.callFrame);
    const area = areaOf(frame);
    total += time;
    if (area === 'idle') {
      idle += time;
      continue;
    }
    const { functionName, url, lineNumber } = frame;
    const where = url ? ` ${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byArea.set(area, (byArea.get(area) ?? 0) + time);
  }
  const busy = total - idle;
  const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    busyShare: total ? busy / total : 0,
    areas: ranked(byArea).map(([area, time]) => ({ area, share: time / busy })),
    functions: ranked(byFunction)
      .slice(0, top)
      .map(([name, time]) => ({ name, share: time / busy })),
    staleSourceMaps: [...sourceMaps.stale],
  };
}

export function formatSummary(summary: ProfileSummary, top = 15): string {
  const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  return [
    `  busy ${percent(summary.busyShare)} of ${(summary.totalMs / 1000).toFixed(1)} s; by area (share of busy time):`,
    ...summary.areas.map(({ area, share }) => `    ${percent(share)}  ${area}`),
    '  top functions (self time):',
    ...summary.functions.slice(0, top).map(({ name, share }) => `    ${percent(share)}  ${name}`),
    ...summary.staleSourceMaps.map((bundle) => `  (not mapped to sources: ${bundle} was rebuilt after this profile)`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top, skip] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile.ts <file.cpuprofile> [top] [skip-ms]');
  process.stdout.write(`${formatSummary(summariseProfile(file, Number(top ?? 25), Number(skip ?? 0)), Number(top ?? 25))}\n`);
}
