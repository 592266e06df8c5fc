/** Lookups over one account's field definitions. */
import type { EntityType, FieldDefinition } from './model.js';

export class FieldCatalog {
  private readonly byId = new Map<number, FieldDefinition>();
  private readonly byEntity = new Map<EntityType, FieldDefinition[]>();
  private readonly byCode = new Map<string, FieldDefinition>();

  private constructor(definitions: readonly FieldDefinition[]) {
    const ordered = [...definitions].sort((a, b) => a.sort - b.sort || a.id - b.id);
    for (const definition of ordered) {
      this.byId.set(definition.id, definition);
      const sameEntity = this.byEntity.get(definition.entityType);
      if (sameEntity) sameEntity.push(definition);
      else this.byEntity.set(definition.entityType, [definition]);
      if (definition.code !== null) this.byCode.set(codeKey(definition.entityType, definition.code), definition);
    }
  }

  static of(definitions: readonly FieldDefinition[]): FieldCatalog {
    return new FieldCatalog(definitions);
  }

  get(id: number): FieldDefinition | undefined {
    return this.byId.get(id);
  }

  /** The field of `entityType` with this code; codes are unique per entity type and compared exactly. */
  getByCode(entityType: EntityType, code: string): FieldDefinition | undefined {
    return this.byCode.get(codeKey(entityType, code));
  }

  /** The fields of `entityType`, in display order (sort, then id). */
  forEntity(entityType: EntityType): readonly FieldDefinition[] {
    return this.byEntity.get(entityType) ?? [];
  }
}

function codeKey(entityType: EntityType, code: string): string {
  return `${entityType}\u0000${code}`;
}
