/** Who may do what: Kommo's per-entity rights, each all, own (where the caller is responsible) or none. */
export const RIGHT_ENTITIES = ['leads', 'contacts', 'companies', 'calls'] as const;
export type RightEntity = (typeof RIGHT_ENTITIES)[number];

export const ACTIONS = ['view', 'edit', 'add', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export const SCOPES = ['all', 'own', 'none'] as const;
export type Scope = (typeof SCOPES)[number];

export type EntityRights = Record<Action, Scope>;
export type Rights = Record<RightEntity, EntityRights>;

export type Role = 'admin' | 'user';

export function uniformRights(scope: Scope): Rights {
  const entity: EntityRights = { view: scope, edit: scope, add: scope, delete: scope };
  return { leads: { ...entity }, contacts: { ...entity }, companies: { ...entity }, calls: { ...entity } };
}

export function isRights(value: unknown): value is Rights {
  if (!value || typeof value !== 'object') return false;
  const rights = value as Record<string, unknown>;
  return RIGHT_ENTITIES.every((entity) => {
    const entityRights = rights[entity];
    if (!entityRights || typeof entityRights !== 'object') return false;
    return ACTIONS.every((action) =>
      (SCOPES as readonly unknown[]).includes((entityRights as Record<string, unknown>)[action]),
    );
  });
}
