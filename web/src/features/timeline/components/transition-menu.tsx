import { useEffect, useRef } from "react";
import { TRANSITION_TYPES, type TransitionType } from "../../../types/timeline";

interface TransitionMenuProps {
  left: number;
  current: TransitionType | null;
  onChoose: (type: TransitionType | null) => void;
  onClose: () => void;
}

/** The menu at a cut: every transition type, and Remove when the cut has one. */
export function TransitionMenu({ left, current, onChoose, onClose }: TransitionMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector("button")?.focus();
    const onDown = (e: globalThis.PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener("pointerdown", onDown);
    return () => window.removeEventListener("pointerdown", onDown);
  }, [onClose]);
  return (
    <div className="tl-menu" style={{ left }} ref={ref} role="menu" aria-label="Transitions" data-testid="transition-menu" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      {TRANSITION_TYPES.map((type) => (
        <button key={type} type="button" role="menuitemradio" aria-checked={current === type} className={`tl-menu__item ${current === type ? "tl-menu__item--on" : ""}`} data-testid={`transition-option-${type}`} onClick={() => onChoose(type)}>
          {type}
        </button>
      ))}
      {current && (
        <button type="button" role="menuitem" className="tl-menu__item tl-menu__item--danger" onClick={() => onChoose(null)}>Remove</button>
      )}
    </div>
  );
}
