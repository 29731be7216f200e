"use client";
import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";

const itemsOf = (menu: HTMLElement | null) => [
  ...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
];

export interface MenuAction {
  label: string;
  onSelect: () => void;
}

/**
 * A button that opens a short list of actions (the WAI-ARIA menu button pattern; no menu library is in the app):
 * Enter, Space or the arrows open it, the arrows, Home and End move, Escape closes it and focus returns to the
 * button, Tab or a click elsewhere closes it. Choosing an action puts focus back on the button first, so a dialog
 * the action opens returns focus there when it closes. The button shows `text`; its name says what the
 * actions are for ("Actions for Billing worker").
 */
export function MenuButton({ text, about, actions }: { text: string; about: string; actions: MenuAction[] }) {
  const [open, setOpen] = useState<"first" | "last" | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const all = itemsOf(menu.current);
    (open === "first" ? all[0] : all.at(-1))?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(null);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const close = () => {
    setOpen(null);
    button.current?.focus();
  };
  const onMenuKeyDown = (event: KeyboardEvent) => {
    const all = itemsOf(menu.current);
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = {
      ArrowDown: (at + 1) % all.length,
      ArrowUp: (at - 1 + all.length) % all.length,
      Home: 0,
      End: all.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      all[moves[event.key]!]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "Tab") {
      setOpen(null);
    }
  };

  return (
    <div className="menu-button">
      <button
        ref={button}
        id={buttonId}
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((was) => (was ? null : "first"))}
        onKeyDown={(event) => {
          if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
          event.preventDefault();
          setOpen(event.key === "ArrowDown" ? "first" : "last");
        }}
      >
        {text}
        <span className="visually-hidden"> for {about}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div ref={menu} id={menuId} role="menu" aria-labelledby={buttonId} className="menu" onKeyDown={onMenuKeyDown}>
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                close();
                action.onSelect();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
