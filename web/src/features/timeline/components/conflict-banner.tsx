import type { ApiErrorDetail } from "../../../types/api";
import type { SaveState } from "../hooks/use-timeline-session";

interface ConflictBannerProps {
  save: SaveState;
  onReload: () => void;
  onOverwrite: () => void;
  generalProblems: ApiErrorDetail[];
}

/** Save problems the user must decide about: a 409 conflict (reload or overwrite), a refused save, problems outside clips. */
export function ConflictBanner({ save, onReload, onOverwrite, generalProblems }: ConflictBannerProps) {
  if (save.status === "conflict") {
    return (
      <div className="banner banner--warning" role="alert" data-testid="save-conflict">
        <strong>{save.message}</strong>
        <span>Your edits here are kept until you choose.</span>
        <span className="banner__spacer" />
        <button type="button" className="button button--secondary button--small" onClick={onReload} data-testid="conflict-reload">Reload theirs (drop mine)</button>
        <button type="button" className="button button--primary button--small" onClick={onOverwrite} data-testid="conflict-overwrite">Overwrite with mine</button>
      </div>
    );
  }
  if (save.status === "error") {
    return (
      <div className="banner banner--error" role="alert" data-testid="save-error">
        <strong>{save.message}</strong>
        <span>Edits are kept in this tab; saving retries after the next change.</span>
      </div>
    );
  }
  if (generalProblems.length) {
    return (
      <div className="banner banner--error" role="status" data-testid="general-problems">
        {generalProblems.map((p, i) => <span key={i}>{p.message}</span>)}
      </div>
    );
  }
  return null;
}
