import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from '../../src/store/database.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export function storeEnv(location: StoreLocation): Record<string, string> {
  return location.backend === 'sqlite' ? { FIELDWORK_DATA_DIR: location.dataDir } : { DATABASE_URL: location.url };
}

/** The environment a child sees: the parent's, minus the variables that choose a store or a port. */
function baseEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, FIELDWORK_DATA_DIR: _dir, PORT: _port, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: 'warn' };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `fieldwork <args>` to completion. */
/** Runs the CLI to its end; `input` is what it reads on stdin, which is closed after it. */
export function runCli(args: string[], env: Record<string, string>, input = ''): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...baseEnv(), ...env } });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `fieldwork serve` on a free port and waits until it says where it listens: the TypeScript under tsx, or the
 * built `script` when given.
 */
export function startServerProcess(env: Record<string, string>, script?: string): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(script ? [script] : ['--import', 'tsx', CLI]), 'serve'], {
      env: { ...baseEnv(), PORT: '0', ...env },
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && !stdout.includes('\u0000started')) {
        stdout += '\u0000started';
        resolve({
          child,
          url,
          stdout: () => stdout.replace('\u0000started', ''),
          stop(signal = 'SIGTERM') {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.on('close', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
}
