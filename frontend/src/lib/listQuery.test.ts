import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, queryFromSearch, searchFromQuery } from './listQuery';

describe('list query in the address bar', () => {
  it('round-trips page, size and order', () => {
    const query = { page: 3, pageSize: 50, sortBy: 'weight', sortOrder: 'desc' } as const;
    expect(searchFromQuery(query)).toBe('?page=3&page_size=50&sort_by=weight&sort_order=desc');
    expect(queryFromSearch(searchFromQuery(query))).toEqual(query);
  });

  it('leaves the defaults out of the address', () => {
    expect(searchFromQuery(DEFAULT_QUERY)).toBe('');
  });

  it('ignores values the API would refuse', () => {
    expect(queryFromSearch('?page=0&page_size=500&sort_by=password&sort_order=sideways')).toEqual(
      DEFAULT_QUERY,
    );
  });
});
