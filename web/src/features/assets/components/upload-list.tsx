import { ProgressBar } from "../../../components/progress-bar";
import { formatBytes } from "../../../lib/format";
import type { UploadItem } from "../hooks/use-uploads";

interface UploadListProps {
  uploads: UploadItem[];
  onDismiss: (id: number) => void;
  onCancel: (id: number) => void;
}

const statusText: Record<UploadItem["status"], string> = {
  uploading: "Uploading",
  processing: "Processing",
  done: "Uploaded",
  error: "Failed",
};

/** One row per file being uploaded, with its own progress bar or the server's reason for refusing it. */
export function UploadList({ uploads, onDismiss, onCancel }: UploadListProps) {
  if (uploads.length === 0) return null;
  return (
    <ul className="upload-list" aria-label="Uploads">
      {uploads.map((u) => {
        const fraction = u.size > 0 ? u.loaded / u.size : u.status === "done" ? 1 : 0;
        return (
          <li key={u.id} className={`upload-item upload-item--${u.status}`} data-testid="upload-item" data-status={u.status}>
            <div className="upload-item__row">
              <span className="upload-item__name" title={u.fileName}>{u.fileName}</span>
              <span className="upload-item__status">
                {u.status === "uploading" ? `${Math.round(fraction * 100)}% of ${formatBytes(u.size)}` : statusText[u.status]}
              </span>
              {(u.status === "uploading" || u.status === "processing") && (
                <button type="button" className="icon-button" aria-label={`Cancel ${u.fileName}`} title="Cancel upload" onClick={() => onCancel(u.id)} data-testid="upload-cancel">×</button>
              )}
              {u.status === "error" && (
                <button type="button" className="icon-button" aria-label={`Dismiss ${u.fileName}`} onClick={() => onDismiss(u.id)}>×</button>
              )}
            </div>
            {u.status === "error" ? (
              <p className="upload-item__error" role="alert" data-testid="upload-error" data-status-code={u.errorStatus ?? undefined}>{u.error}</p>
            ) : (
              <ProgressBar
                value={u.status === "done" ? 1 : fraction}
                label={`Uploading ${u.fileName}`}
                tone={u.status === "done" ? "success" : "accent"}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
