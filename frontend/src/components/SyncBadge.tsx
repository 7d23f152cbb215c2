import { useOutbox } from '../training/useOutbox';
import { Link } from '../router';

/** Says how many finished workouts are kept on this device, waiting to reach the API. */
export function SyncBadge() {
  const { items } = useOutbox();
  if (items.length === 0) return null;
  const refused = items.filter((item) => item.error).length;
  const text =
    items.length === 1 ? '1 workout waiting to sync' : `${items.length} workouts waiting to sync`;
  return (
    <Link
      to="/history"
      className={`sync-badge${refused ? ' sync-badge-error' : ''}`}
      data-testid="sync-badge"
    >
      {text}
      {refused ? ` (${refused} refused)` : ''}
    </Link>
  );
}
