/** Stage ids shared by every pipeline, as in Kommo. */
export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

export const STATUS_TYPE_REGULAR = 0;
export const STATUS_TYPE_INCOMING = 1;

/** Bitrix24's stage semantics: in progress, success, failure. */
export type StageSemantics = 'process' | 'success' | 'failure';

export interface Status {
  id: number;
  pipelineId: number;
  name: string;
  sort: number;
  color: string;
  type: number;
  isEditable: boolean;
  code: string | null;
  semantics: StageSemantics;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  isMain: boolean;
  isUnsortedOn: boolean;
  isArchive: boolean;
  createdAt: number;
  updatedAt: number;
  statuses: Status[];
}

export interface NewStatus {
  id?: number;
  name: string;
  sort: number;
  color: string;
  type: number;
  isEditable: boolean;
  code: string | null;
  semantics: StageSemantics;
}

export interface NewPipeline {
  name: string;
  sort: number;
  isMain: boolean;
  isUnsortedOn: boolean;
  statuses: NewStatus[];
}

/** The stages every pipeline has and no one may delete: incoming leads first, won and lost last. */
export function systemStatuses(): { incoming: NewStatus; won: NewStatus; lost: NewStatus } {
  return {
    incoming: { name: 'Incoming leads', sort: 10, color: '#c1c1c1', type: STATUS_TYPE_INCOMING, isEditable: false, code: 'INCOMING', semantics: 'process' },
    won: { id: WON_STATUS_ID, name: 'Closed - won', sort: 10000, color: '#ccff66', type: STATUS_TYPE_REGULAR, isEditable: false, code: 'CONVERTED', semantics: 'success' },
    lost: { id: LOST_STATUS_ID, name: 'Closed - lost', sort: 11000, color: '#d5d8db', type: STATUS_TYPE_REGULAR, isEditable: false, code: 'JUNK', semantics: 'failure' },
  };
}

export function isSystemStatus(status: Pick<Status, 'id' | 'type'>): boolean {
  return status.type === STATUS_TYPE_INCOMING || status.id === WON_STATUS_ID || status.id === LOST_STATUS_ID;
}

/** The pipeline every new account starts with: incoming leads, three working stages, won and lost. */
export function defaultPipeline(): NewPipeline {
  const { incoming, won, lost } = systemStatuses();
  return {
    name: 'Sales pipeline',
    sort: 1,
    isMain: true,
    isUnsortedOn: true,
    statuses: [
      incoming,
      { name: 'Initial contact', sort: 20, color: '#99ccff', type: STATUS_TYPE_REGULAR, isEditable: true, code: 'NEW', semantics: 'process' },
      { name: 'Negotiation', sort: 30, color: '#ffff99', type: STATUS_TYPE_REGULAR, isEditable: true, code: 'IN_PROCESS', semantics: 'process' },
      { name: 'Decision making', sort: 40, color: '#ffcc66', type: STATUS_TYPE_REGULAR, isEditable: true, code: 'PROCESSED', semantics: 'process' },
      won,
      lost,
    ],
  };
}
