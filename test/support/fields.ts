import { createDefinition } from '../../src/core/fields/definitions.js';
import type { DefinitionDraft } from '../../src/core/fields/draft.js';
import type { EntityType, FieldDefinition } from '../../src/core/fields/model.js';
import { idsFrom, stampNewDefinition } from '../../src/core/fields/stamp.js';
import type { TestApp } from './app.js';

/** Defines a field straight through the engine and the store, for tests about values rather than definitions. */
export async function defineField(test: TestApp, entityType: EntityType, draft: DefinitionDraft, accountId = 1): Promise<FieldDefinition> {
  const existing = await test.store.repos.fields.list(accountId);
  const optionCount = (draft.enums?.length ?? 0) + (draft.nested?.length ?? 0);
  const first = await test.store.repos.sequences.reserve('options', Math.max(optionCount, 1));
  const created = createDefinition(draft, { entityType, existing, ids: idsFrom(first, Math.max(optionCount, 1)) });
  if (!created.ok) throw new Error(`invalid test field: ${JSON.stringify(created.errors)}`);
  const [definition] = await test.store.repos.fields.insert(accountId, [stampNewDefinition(created.value, 1_700_000_000)]);
  return definition!;
}

/** The demo account's main pipeline and its stages by name. */
export async function mainPipeline(test: TestApp, accountId = 1) {
  const pipelines = await test.store.repos.pipelines.list(accountId);
  const pipeline = pipelines.find((candidate) => candidate.isMain)!;
  const stage = (name: string) => pipeline.statuses.find((status) => status.name === name)!.id;
  return { id: pipeline.id, incoming: stage('Incoming leads'), first: stage('Initial contact'), second: stage('Negotiation'), third: stage('Decision making') };
}
