export const PAGE_SIZES = [10, 20, 50, 100, 200] as const;

interface Props {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The sizes offered, with the chosen one among them even when the address asked for another. */
export function pageSizeChoices(pageSize: number): number[] {
  const sizes: number[] = [...PAGE_SIZES];
  return sizes.includes(pageSize) ? sizes : [...sizes, pageSize].sort((a, b) => a - b);
}

export function Pagination({ page, pageSize, total, onPage, onPageSize }: Props) {
  const pages = pageCount(total, pageSize);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label="Pages">
      <p className="range" aria-live="polite">
        {total === 0 ? 'No exercises' : `Showing ${first}–${last} of ${total} exercises`}
      </p>
      <div className="pager">
        <button
          type="button"
          onClick={() => onPage(1)}
          disabled={page <= 1}
          aria-label="First page"
        >
          «
        </button>
        <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next
        </button>
        <button
          type="button"
          onClick={() => onPage(pages)}
          disabled={page >= pages}
          aria-label="Last page"
        >
          »
        </button>
      </div>
      <label className="page-size">
        Per page{' '}
        <select value={pageSize} onChange={(event) => onPageSize(Number(event.target.value))}>
          {pageSizeChoices(pageSize).map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
