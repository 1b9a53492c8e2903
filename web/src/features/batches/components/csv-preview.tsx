import { problemKey } from "../../templates/lib/field-rules";
import type { CsvTable } from "../lib/csv";

interface CsvPreviewProps {
  table: CsvTable;
  /** Messages by `row/FIELD` (`row/` for the row itself), from the client check or the server's 422. */
  problems: Map<string, string>;
  /** Columns that are not a field of the template (the server refuses them). */
  unknown: Set<string>;
}

const SHOWN_ROWS = 200;

/** The parsed rows as a table; a bad cell is marked and says why (row numbers count from 0 like the server's pointers). */
export function CsvPreview({ table, problems, unknown }: CsvPreviewProps) {
  const rows = table.rows.slice(0, SHOWN_ROWS);
  return (
    <div className="table-wrap">
      <table className="table csv-preview" data-testid="csv-preview">
        <thead>
          <tr>
            <th scope="col">Row</th>
            {table.header.map((h, i) => (
              <th key={i} scope="col" className={unknown.has(h) ? "csv-preview__bad" : undefined} title={unknown.has(h) ? "Not a field of this template" : undefined}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => {
            const rowProblem = problems.get(problemKey(r, ""));
            return (
              <tr key={r} className={rowProblem ? "csv-preview__bad-row" : undefined} data-testid="csv-row">
                <th scope="row">{r}</th>
                {table.header.map((h, c) => {
                  const problem = problems.get(problemKey(r, h));
                  return (
                    <td key={c} className={problem ? "csv-preview__bad" : undefined} data-testid={problem ? "csv-cell-error" : undefined} data-pointer={`/rows/${r}/${h}`}>
                      {row[c] ?? ""}
                      {problem && <span className="csv-preview__why">{problem}</span>}
                    </td>
                  );
                })}
                {rowProblem && (
                  <td className="csv-preview__bad" data-testid="csv-row-error">
                    {row.slice(table.header.length).join(", ")}
                    <span className="csv-preview__why">{rowProblem}</span>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {table.rows.length > SHOWN_ROWS && <p className="muted">…and {table.rows.length - SHOWN_ROWS} more rows.</p>}
    </div>
  );
}
