/**
 * Lead stages as Bitrix24 names them. The directory `STATUS` is the stages of the main pipeline;
 * a stage's STATUS_ID is its `code` (NEW, IN_PROCESS, PROCESSED, CONVERTED, JUNK, LOST, …), or its id
 * for a stage made without one.
 *
 * Semantics: a stage is a success (`S`) or failure (`F`) stage when the engine says so. A working
 * stage placed after the pipeline's success stage is a failure stage too, which is Bitrix24's own
 * rule: its kanban closes with the success stage followed by the failure stages. That is how a custom
 * `LOST` stage is a failure stage: crm.status.add puts a stage with SEMANTICS F there.
 */
import type { Pipeline, Status } from '../../core/pipelines/model.js';

export type SemanticsLetter = 'P' | 'S' | 'F';

export class StageBook {
  private readonly byId = new Map<number, { status: Status; pipeline: Pipeline }>();

  constructor(readonly pipelines: readonly Pipeline[]) {
    for (const pipeline of pipelines) for (const status of pipeline.statuses) this.byId.set(status.id, { status, pipeline });
  }

  /** The pipeline behind the `STATUS` directory. */
  get main(): Pipeline {
    const main = this.pipelines.find((pipeline) => pipeline.isMain) ?? this.pipelines[0];
    if (!main) throw new Error('the account has no pipeline');
    return main;
  }

  status(id: number | null): Status | undefined {
    return id === null ? undefined : this.byId.get(id)?.status;
  }

  /** The main pipeline's stages in kanban order. */
  directory(): Status[] {
    return [...this.main.statuses].sort((a, b) => a.sort - b.sort || a.id - b.id);
  }

  /** The main pipeline's stage with this STATUS_ID. */
  find(statusId: string): Status | undefined {
    return this.main.statuses.find((status) => codeOf(status) === statusId);
  }

  /** Ids of every stage, in any pipeline, with this STATUS_ID (for list filters). */
  idsOf(statusId: string): number[] {
    return [...this.byId.values()].filter(({ status }) => codeOf(status) === statusId).map(({ status }) => status.id);
  }

  semantics(status: Status): SemanticsLetter {
    if (status.semantics === 'success') return 'S';
    if (status.semantics === 'failure') return 'F';
    const pipeline = this.byId.get(status.id)?.pipeline;
    const success = pipeline?.statuses.find((candidate) => candidate.semantics === 'success');
    return success !== undefined && status.sort > success.sort ? 'F' : 'P';
  }
}

export function codeOf(status: Status): string {
  return status.code ?? String(status.id);
}

export function describeStage(status: Status): string {
  return `'${status.name}' (${codeOf(status)})`;
}

export const SEMANTICS_NAMES: Record<SemanticsLetter, 'process' | 'success' | 'failure'> = { P: 'process', S: 'success', F: 'failure' };
