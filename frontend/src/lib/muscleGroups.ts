/**
 * Display name of a muscle group as the coach reports it ("full_body" → "Full body").
 * Which group an exercise trains is decided by the coach alone (`GET /analyze`).
 */
export function groupLabel(group: string): string {
  const text = group.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
