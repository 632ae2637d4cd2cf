import { randomUUID } from 'node:crypto';

/** Paging block Xero adds to paged collections. */
export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  itemCount: number;
}

/** Xero's response envelope: `{Id, Status, ProviderName, DateTimeUTC, pagination?, Warnings?, <Collection>: […]}`. */
export function envelope(now: Date, collection: string, items: unknown[], pagination?: Pagination): Record<string, unknown> {
  return {
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: 'b24xero simulator',
    DateTimeUTC: `/Date(${now.getTime()})/`,
    ...(pagination ? { pagination } : {}),
    [collection]: items,
  };
}
