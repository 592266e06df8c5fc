/**
 * `npm run build`: the server as one ES module, `dist/fieldwork.mjs`, which `npm start` and the `fieldwork` bin run.
 * Loading the server and its libraries, some 850 modules, one file at a time took most of a cold start (about
 * 1 s of 2 on this machine); one file loads in a third of that. `npm run typecheck` is the type check, and the tests
 * and `npm run fieldwork` run the TypeScript directly.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ENTRY = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
export const OUTFILE = fileURLToPath(new URL('../dist/fieldwork.mjs', import.meta.url));

/**
 * Loaded from node_modules at run time rather than bundled: better-sqlite3 is a native addon (and pg-native an optional
 * one), and the others find files next to their own code through `__dirname`, which an ES module does not have
 * (swagger-ui its static assets, swagger and ioredis their package.json, pino its transport workers).
 */
export const EXTERNAL = ['better-sqlite3', 'pg-native', '@fastify/swagger', '@fastify/swagger-ui', 'ioredis', 'pino', 'thread-stream'];

export async function bundle(outfile = OUTFILE): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // The CommonJS libraries inside the bundle call require() for Node's own modules.
    banner: { js: "import { createRequire as fieldworkCreateRequire } from 'node:module'; const require = fieldworkCreateRequire(import.meta.url);" },
    // Stack traces (`node --enable-source-maps`) and the bench's profiles name the TypeScript sources, not the bundle's lines.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
