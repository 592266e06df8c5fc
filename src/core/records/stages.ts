import { errorItem, DETAILS, type ErrorItem } from '../errors.js';
import { LOST_STATUS_ID, STATUS_TYPE_INCOMING, STATUS_TYPE_REGULAR, WON_STATUS_ID, type Pipeline } from '../pipelines/model.js';
import type { StageRef } from '../fields/model.js';

export interface StageChoice {
  pipelineId?: number;
  statusId?: number;
}

export type StageResolution = { ok: true; stage: StageRef } | { ok: false; errors: ErrorItem[] };

export function isClosedStage(statusId: number): boolean {
  return statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID;
}

/**
 * Where a lead lands. Without a stage it goes to the first working stage of its pipeline (the main one
 * by default), never to incoming leads. 142 and 143 belong to every pipeline, so they resolve within
 * the pipeline named or kept; any other stage must belong to that pipeline.
 */
export function resolveStage(pipelines: readonly Pipeline[], choice: StageChoice, current: StageRef | null): StageResolution {
  const pipelineId = choice.pipelineId ?? (choice.statusId !== undefined ? undefined : current?.pipelineId);
  let pipeline: Pipeline | undefined;
  if (choice.pipelineId !== undefined) {
    pipeline = pipelines.find((candidate) => candidate.id === choice.pipelineId);
    if (!pipeline) return { ok: false, errors: [errorItem('NotSupportedChoice', 'pipeline_id', DETAILS.NotSupportedChoice)] };
  } else if (choice.statusId !== undefined) {
    pipeline = isClosedStage(choice.statusId)
      ? pipelines.find((candidate) => candidate.id === current?.pipelineId) ?? mainPipeline(pipelines)
      : pipelines.find((candidate) => candidate.statuses.some((status) => status.id === choice.statusId));
  } else {
    pipeline = pipelines.find((candidate) => candidate.id === pipelineId) ?? mainPipeline(pipelines);
  }
  if (!pipeline) return { ok: false, errors: [errorItem('NotSupportedChoice', 'status_id', DETAILS.NotSupportedChoice)] };

  if (choice.statusId === undefined) {
    if (current && current.pipelineId === pipeline.id) return { ok: true, stage: current };
    const first = pipeline.statuses.find((status) => status.type === STATUS_TYPE_REGULAR && !isClosedStage(status.id));
    if (!first) return { ok: false, errors: [errorItem('NotSupportedChoice', 'pipeline_id', 'The pipeline has no working stage.')] };
    return { ok: true, stage: { pipelineId: pipeline.id, statusId: first.id } };
  }
  if (!pipeline.statuses.some((status) => status.id === choice.statusId)) {
    return { ok: false, errors: [errorItem('NotSupportedChoice', 'status_id', DETAILS.NotSupportedChoice)] };
  }
  return { ok: true, stage: { pipelineId: pipeline.id, statusId: choice.statusId } };
}

/** The incoming leads stage of the pipeline named (the main one by default); null when there is no such pipeline. */
export function incomingStage(pipelines: readonly Pipeline[], pipelineId: number | undefined): StageRef | null {
  const pipeline = pipelineId === undefined ? mainPipeline(pipelines) : pipelines.find((candidate) => candidate.id === pipelineId);
  const incoming = pipeline?.statuses.find((status) => status.type === STATUS_TYPE_INCOMING);
  return pipeline && incoming ? { pipelineId: pipeline.id, statusId: incoming.id } : null;
}

function mainPipeline(pipelines: readonly Pipeline[]): Pipeline | undefined {
  return pipelines.find((pipeline) => pipeline.isMain) ?? pipelines[0];
}
