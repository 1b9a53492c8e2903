import type { ApiErrorDetail } from "../types/api";

interface ErrorListProps {
  title: string;
  details: ApiErrorDetail[];
  /** Turns a JSON Pointer into something a person recognises (e.g. the clip's name). */
  describePath?: (path: string) => string;
  testId?: string;
}

/** A readable list of validation problems. */
export function ErrorList({ title, details, describePath, testId }: ErrorListProps) {
  return (
    <div className="alert alert--error" role="alert" data-testid={testId}>
      <p className="alert__title">{title}</p>
      {details.length > 0 && (
        <ul className="error-list">
          {details.map((detail, index) => (
            <li key={`${detail.path ?? ""}-${index}`}>
              {detail.path && (
                <span className="error-list__path" title={detail.path}>
                  {describePath ? describePath(detail.path) : detail.path}
                </span>
              )}
              <span>{detail.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
