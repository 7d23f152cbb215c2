import { useEffect, useState } from 'react';

/**
 * The clock, re-read every `intervalMs` and whenever the page becomes visible again, so
 * anything computed from it (rest timer, elapsed time) is right after the phone sleeps.
 */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const tick = () => setNow(Date.now());
    const timer = window.setInterval(tick, intervalMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [intervalMs, active]);
  return now;
}
