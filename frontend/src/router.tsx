import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A minimal history-API router: the app has a handful of flat pages. */

const NAVIGATE_EVENT = 'workout:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(to: string, state: unknown = null): void {
  if (to === window.location.pathname) return;
  window.history.pushState(state, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

interface ReturnState {
  returnTo?: string;
}

/** The in-app address a page was left from, for coming back to it (never another site). */
export function returnPath(fallback: string): string {
  const returnTo = (window.history.state as ReturnState | null)?.returnTo;
  return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : fallback;
}

export function Link({
  to,
  children,
  remember = false,
  ...rest
}: {
  to: string;
  /** Remember the current address so the target page can send the user back. */
  remember?: boolean;
} & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const path = usePath();
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    const here = `${window.location.pathname}${window.location.search}`;
    navigate(to, remember ? ({ returnTo: here } satisfies ReturnState) : null);
  }
  return (
    <a href={to} onClick={onClick} aria-current={path === to ? 'page' : undefined} {...rest}>
      {children}
    </a>
  );
}
