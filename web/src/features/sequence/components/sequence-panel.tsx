import { ErrorList } from "../../../components/error-list";
import { Panel } from "../../../components/panel";
import { formatDuration } from "../../../lib/format";
import { notify } from "../../../stores/notifications-store";
import type { useSequence } from "../hooks/use-sequence";
import { totalDurationMs } from "../utils/sequence-document";
import { OutputSettings } from "./output-settings";
import { TrackList } from "./track-list";

interface SequencePanelProps {
  sequence: ReturnType<typeof useSequence>;
}

/** The ordered clips, output settings, save state and any validation problems. */
export function SequencePanel({ sequence }: SequencePanelProps) {
  const total = totalDurationMs(sequence.tracks);

  async function handleSave() {
    try {
      await sequence.save();
      notify("Sequence saved.", "success", 2500);
    } catch {
      // The panel shows the error (validation list or conflict banner).
    }
  }

  let saveState: string;
  if (sequence.loading) saveState = "Loading…";
  else if (sequence.saving) saveState = "Saving…";
  else if (!sequence.timeline) saveState = sequence.isEmpty ? "Not saved yet" : "Unsaved";
  else if (sequence.dirty) saveState = "Unsaved changes";
  else saveState = `Saved · v${sequence.timeline.version}`;

  return (
    <Panel
      title="Sequence"
      subtitle={<>Length <strong data-testid="sequence-duration">{formatDuration(total / 1000)}</strong></>}
      className="sequence-panel"
      testId="sequence-panel"
      actions={<OutputSettings output={sequence.output} onChange={sequence.setOutput} />}
    >
      <div className="track">
        <h3 className="track__title"><span className="track__dot track__dot--main" aria-hidden="true" />Main track</h3>
        <TrackList
          label="Main track clips"
          items={sequence.tracks.main}
          emptyText="Add video or image clips from the media library; they play back to back."
          onMove={(from, to) => sequence.move("main", from, to)}
          onRemove={(key) => sequence.remove("main", key)}
        />
      </div>
      {sequence.tracks.audio.length > 0 && (
        <div className="track">
          <h3 className="track__title"><span className="track__dot track__dot--audio" aria-hidden="true" />Audio track</h3>
          <TrackList
            label="Audio track clips"
            items={sequence.tracks.audio}
            emptyText=""
            onMove={(from, to) => sequence.move("audio", from, to)}
            onRemove={(key) => sequence.remove("audio", key)}
          />
        </div>
      )}

      {sequence.conflict && (
        <div className="alert alert--warning" role="alert" data-testid="save-conflict">
          <p className="alert__title">This sequence was changed elsewhere since you loaded it.</p>
          <p>Reload to get the latest version (your unsaved edits here will be replaced).</p>
          <button type="button" className="button button--secondary button--small" onClick={() => void sequence.reload()} data-testid="reload-timeline">
            Reload latest
          </button>
        </div>
      )}
      {sequence.saveError && (
        <ErrorList
          title={sequence.saveError.status === 422 ? "The server found problems in this sequence:" : `Save failed: ${sequence.saveError.message}`}
          details={sequence.saveError.details}
          describePath={sequence.describePath}
          testId="save-errors"
        />
      )}

      <div className="panel__footer">
        <span className={`save-state ${sequence.dirty && !sequence.isEmpty ? "save-state--dirty" : ""}`} data-testid="save-state" aria-live="polite">
          {saveState}
        </span>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void handleSave()}
          disabled={sequence.isEmpty || sequence.saving || sequence.loading || (!sequence.dirty && sequence.timeline != null)}
          data-testid="save-sequence"
        >
          {sequence.saving ? "Saving…" : "Save"}
        </button>
      </div>
    </Panel>
  );
}
