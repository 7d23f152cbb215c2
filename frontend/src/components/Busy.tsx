import { useEffect, useState } from 'react';

/** Whole seconds since the calling component mounted. */
export function useElapsedSeconds(): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const started = Date.now();
    const timer = window.setInterval(
      () => setSeconds(Math.floor((Date.now() - started) / 1000)),
      1000,
    );
    return () => window.clearInterval(timer);
  }, []);
  return seconds;
}

interface BusyProps {
  label: string;
  limitSeconds?: number;
}

function BusyIndicator({ label, limitSeconds }: BusyProps) {
  const seconds = useElapsedSeconds();
  return (
    <div className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>
        {label}
        {seconds > 0 ? ` (${seconds} s${limitSeconds ? ` of up to ${limitSeconds} s` : ''})` : '…'}
      </span>
      {limitSeconds ? (
        <progress
          max={limitSeconds}
          value={Math.min(seconds, limitSeconds)}
          aria-label={`${label}: time waited`}
        />
      ) : null}
    </div>
  );
}

/** Shows that a slow call is still going, with the time waited so far. */
export function Busy({ active, ...props }: BusyProps & { active: boolean }) {
  return active ? <BusyIndicator {...props} /> : null;
}
