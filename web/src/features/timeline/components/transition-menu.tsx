import { Popover } from "../../../components/popover";
import { TRANSITION_TYPES, type TransitionType } from "../../../types/timeline";

interface TransitionMenuProps {
  anchor: HTMLElement | null;
  current: TransitionType | null;
  onChoose: (type: TransitionType | null) => void;
  onClose: () => void;
}

/** The menu at a cut: every transition type, and Remove when the cut has one (floats over the panels). */
export function TransitionMenu({ anchor, current, onChoose, onClose }: TransitionMenuProps) {
  return (
    <Popover anchor={anchor} onClose={onClose} className="tl-menu" label="Transitions" testId="transition-menu">
      {TRANSITION_TYPES.map((type) => (
        <button key={type} type="button" role="menuitemradio" aria-checked={current === type} className={`tl-menu__item ${current === type ? "tl-menu__item--on" : ""}`} data-testid={`transition-option-${type}`} onClick={() => onChoose(type)}>
          {type}
        </button>
      ))}
      {current && (
        <button type="button" role="menuitem" className="tl-menu__item tl-menu__item--danger" onClick={() => onChoose(null)}>Remove</button>
      )}
    </Popover>
  );
}
