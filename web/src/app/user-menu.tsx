import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ChevronDownIcon } from "../components/icons";
import { routeHash, type Route } from "../lib/hash-route";
import type { User } from "../types/api";

interface UserMenuProps {
  user: User;
  onNavigate: (route: Route) => void;
  onSignOut: () => void;
}

interface Item {
  label: string;
  testId: string;
  route?: Route;
}

/**
 * The header's account menu (WAI-ARIA menu button): Enter/Space/↓ open it on the first
 * item, ↑ on the last; arrows, Home and End move; Escape, Tab or a click outside close it.
 */
export function UserMenu({ user, onNavigate, onSignOut }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLElement | null)[]>([]);
  const menuId = useId();

  const items: Item[] = [
    { label: "Account", testId: "user-menu-account", route: { name: "account" } },
    { label: "API tokens", testId: "user-menu-tokens", route: { name: "tokens" } },
    ...(user.role === "admin" ? [{ label: "Users", testId: "user-menu-users", route: { name: "users" } } as Item] : []),
    { label: "Sign out", testId: "user-menu-sign-out" },
  ];

  useEffect(() => {
    if (open) itemRefs.current[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function openAt(index: number) {
    setFocusIndex(index);
    setOpen(true);
  }

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  function choose(item: Item) {
    close(false);
    if (item.route) onNavigate(item.route);
    else onSignOut();
  }

  function onButtonKey(event: KeyboardEvent) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      openAt(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openAt(items.length - 1);
    }
  }

  function onMenuKey(event: KeyboardEvent) {
    const last = items.length - 1;
    const moves: Record<string, number> = { ArrowDown: focusIndex === last ? 0 : focusIndex + 1, ArrowUp: focusIndex === 0 ? last : focusIndex - 1, Home: 0, End: last };
    if (event.key in moves) {
      event.preventDefault();
      setFocusIndex(moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  }

  const label = user.name.trim() || user.email;
  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={onButtonKey}
        data-testid="user-menu"
        title={user.email}
      >
        <span className="user-menu__avatar" aria-hidden="true">{label.slice(0, 1).toUpperCase()}</span>
        <span className="user-menu__label">{label}</span>
        <ChevronDownIcon />
      </button>
      {open && (
        <div className="user-menu__list" role="menu" id={menuId} aria-label="Account" onKeyDown={onMenuKey}>
          <div className="user-menu__who" role="none">
            <span className="user-menu__email">{user.email}</span>
            <span className="muted">{user.role === "admin" ? "Administrator" : "Member"}</span>
          </div>
          {items.map((item, index) =>
            item.route ? (
              <a
                key={item.testId}
                ref={(el) => (itemRefs.current[index] = el)}
                role="menuitem"
                tabIndex={-1}
                className="user-menu__item"
                href={routeHash(item.route) || "#"}
                data-testid={item.testId}
                onClick={(e) => {
                  e.preventDefault();
                  choose(item);
                }}
              >
                {item.label}
              </a>
            ) : (
              <button
                key={item.testId}
                ref={(el) => (itemRefs.current[index] = el)}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="user-menu__item user-menu__item--separated"
                data-testid={item.testId}
                onClick={() => choose(item)}
              >
                {item.label}
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}
