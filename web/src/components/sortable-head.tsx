// The header row of a table sorted by the API: a button per sortable column that flips the direction, with
// aria-sort telling screen readers the current order (`sort` is the API's key, `-key` for descending).

export interface SortableColumn {
  key: string;
  /** The API's sort key, when the column sorts. */
  sort?: string;
  numeric?: boolean;
}

export function SortableHead({
  columns,
  sort,
  onSort,
  label,
}: {
  columns: readonly SortableColumn[];
  sort: string;
  onSort: (key: string) => void;
  label: (key: string) => string;
}) {
  const ariaSort = (key: string) => (sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : 'none');
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th
            key={c.key}
            scope="col"
            className={c.numeric ? 'num' : undefined}
            aria-sort={c.sort === undefined ? undefined : ariaSort(c.sort)}
          >
            {c.sort ? (
              <button type="button" className="sort" data-sort={c.sort} onClick={() => onSort(c.sort!)}>
                {label(c.key)}
                <span aria-hidden="true">{sort === c.sort ? ' ▲' : sort === `-${c.sort}` ? ' ▼' : ' ↕'}</span>
              </button>
            ) : (
              label(c.key)
            )}
          </th>
        ))}
      </tr>
    </thead>
  );
}
