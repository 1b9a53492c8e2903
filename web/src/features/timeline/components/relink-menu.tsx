import { Popover } from "../../../components/popover";
import type { Asset } from "../../../types/api";
import type { Clip } from "../../../types/timeline";

interface RelinkMenuProps {
  anchor: HTMLElement | null;
  clip: Clip;
  assets: readonly Asset[];
  onChoose: (asset: Asset) => void;
  onClose: () => void;
}

/** The assets a clip can be relinked to: those of its own kind (audio clips also take videos with sound). */
export function relinkCandidates(clip: Clip, assets: readonly Asset[]): Asset[] {
  const type = clip.asset.type;
  return assets.filter((a) => a.kind === type || (type === "audio" && a.kind === "video" && a.hasAudio));
}

/** "Relink…": choose another asset for a clip whose media is missing. */
export function RelinkMenu({ anchor, clip, assets, onChoose, onClose }: RelinkMenuProps) {
  const candidates = relinkCandidates(clip, assets);
  return (
    <Popover anchor={anchor} onClose={onClose} className="tl-menu tl-menu--list" label={`Relink ${clip.id}`} testId="relink-menu">
      <p className="tl-menu__title">Relink to another {clip.asset.type}</p>
      {candidates.map((a) => (
        <button key={a.id} type="button" role="menuitem" className="tl-menu__item" data-testid="relink-option" data-asset-id={a.id} onClick={() => onChoose(a)}>
          {a.name}
        </button>
      ))}
      {candidates.length === 0 && <p className="tl-menu__empty">No {clip.asset.type} in the library: upload one first.</p>}
    </Popover>
  );
}
