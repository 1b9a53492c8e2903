import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";

interface PopoverProps {
  /** The element the popover opens from (its viewport rectangle is read on open). */
  anchor: HTMLElement | null;
  onClose: () => void;
  className?: string;
  label: string;
  testId?: string;
  role?: string;
  children: ReactNode;
}

/**
 * A menu floating over the page (a portal with fixed position), so no scrolling panel clips it:
 * below its anchor, or above when there is no room below, kept inside the window. Closes on a
 * pointer down outside it and on Escape.
 */
export function Popover({ anchor, onClose, className = "", label, testId, role = "menu", children }: PopoverProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !anchor) return;
    const a = anchor.getBoundingClientRect();
    const w = el.offsetWidth, h = el.offsetHeight;
    const below = a.bottom + 4, above = a.top - 4 - h;
    const top = below + h <= window.innerHeight - 8 || above < 8 ? Math.min(below, Math.max(8, window.innerHeight - 8 - h)) : above;
    const left = Math.min(Math.max(8, a.left + a.width / 2 - w / 2), window.innerWidth - 8 - w);
    setPlace({ left, top });
    el.querySelector<HTMLElement>("button")?.focus();
  }, [anchor]);

  useLayoutEffect(() => {
    const onDown = (e: globalThis.PointerEvent) => {
      const target = e.target as Node;
      if (ref.current && !ref.current.contains(target) && !anchor?.contains(target)) onClose();
    };
    window.addEventListener("pointerdown", onDown);
    return () => window.removeEventListener("pointerdown", onDown);
  }, [anchor, onClose]);

  return createPortal(
    <div
      ref={ref}
      className={`popover ${className}`}
      style={place ? { left: place.left, top: place.top } : { left: -9999, top: -9999 }}
      role={role}
      aria-label={label}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      {children}
    </div>,
    document.body,
  );
}
