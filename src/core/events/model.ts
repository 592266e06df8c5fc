/** A recorded change, written in the same transaction as the change itself. */
export interface DomainEvent {
  type: string;
  entityType: string;
  entityId: number;
  createdBy: number;
  createdAt: number;
  valueBefore: unknown[];
  valueAfter: unknown[];
}

export interface StoredEvent extends DomainEvent {
  id: number;
}
