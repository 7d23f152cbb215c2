import { SORT_COLUMNS, type ListQuery, type SortColumn } from '../api/types';

export const DEFAULT_QUERY: ListQuery = { page: 1, pageSize: 20, sortBy: 'id', sortOrder: 'asc' };

function positiveInt(value: string | null, fallback: number, max: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 && number <= max ? number : fallback;
}

/** The table's page and order from the address bar, so reloads and bookmarks keep them. */
export function queryFromSearch(search: string): ListQuery {
  const params = new URLSearchParams(search);
  const sortBy = params.get('sort_by');
  return {
    page: positiveInt(params.get('page'), DEFAULT_QUERY.page, 1_000_000),
    pageSize: positiveInt(params.get('page_size'), DEFAULT_QUERY.pageSize, 200),
    sortBy: SORT_COLUMNS.includes(sortBy as SortColumn)
      ? (sortBy as SortColumn)
      : DEFAULT_QUERY.sortBy,
    sortOrder: params.get('sort_order') === 'desc' ? 'desc' : 'asc',
  };
}

export function searchFromQuery(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.page !== DEFAULT_QUERY.page) params.set('page', String(query.page));
  if (query.pageSize !== DEFAULT_QUERY.pageSize) params.set('page_size', String(query.pageSize));
  if (query.sortBy !== DEFAULT_QUERY.sortBy) params.set('sort_by', query.sortBy);
  if (query.sortOrder !== DEFAULT_QUERY.sortOrder) params.set('sort_order', query.sortOrder);
  const search = params.toString();
  return search ? `?${search}` : '';
}
