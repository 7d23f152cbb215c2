import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  addDays,
  calendarWeeks,
  dayKey,
  dayLabel,
  monthLabels,
  parseDay,
  WEEKDAYS,
  WEEKS_SHOWN,
} from '../lib/calendar';
import './TrainingCalendar.css';

const MOVES: Record<string, number> = {
  ArrowUp: -1,
  ArrowDown: 1,
  ArrowLeft: -7,
  ArrowRight: 7,
};

/**
 * A year of training days at a glance: 53 week columns × 7 weekday rows, Monday on top.
 * An ARIA grid with one tab stop; arrow keys move a day (up/down) or a week (left/right).
 */
export function TrainingCalendar({
  today,
  counts,
  selected,
  onSelect,
}: {
  today: Date;
  counts: Map<string, number>;
  selected: string | null;
  onSelect: (day: string | null) => void;
}) {
  const weeks = useMemo(() => calendarWeeks(today), [today]);
  const labels = useMemo(() => monthLabels(weeks), [weeks]);
  const todayKey = dayKey(today);
  const firstKey = weeks[0]?.[0]?.key ?? todayKey;
  const [focusKey, setFocusKey] = useState(selected ?? todayKey);
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const daysTrained = [...counts.entries()].filter(([key]) => key >= firstKey).length;

  // On a narrow screen the grid scrolls sideways; the recent weeks are the ones wanted.
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollLeft = element.scrollWidth;
  }, []);

  function move(event: KeyboardEvent<HTMLDivElement>) {
    let next: string | null = null;
    if (event.key in MOVES) next = dayKey(addDays(parseDay(focusKey), MOVES[event.key] ?? 0));
    else if (event.key === 'Home') next = firstKey;
    else if (event.key === 'End') next = todayKey;
    if (next === null) return;
    event.preventDefault();
    if (next < firstKey || next > todayKey) return;
    setFocusKey(next);
    grid.current?.querySelector<HTMLButtonElement>(`[data-day="${next}"]`)?.focus();
  }

  return (
    <div className="training-calendar">
      <p className="calendar-summary" id="calendar-summary">
        {daysTrained} {daysTrained === 1 ? 'day' : 'days'} trained in the last 12 months
      </p>
      <div className="calendar-scroll" ref={scroller}>
        <div
          className="calendar-months"
          aria-hidden="true"
          style={{
            gridTemplateColumns: `var(--weekday-column) repeat(${WEEKS_SHOWN}, var(--cell))`,
          }}
        >
          {labels.map((label) => (
            <span key={`${label.week}-${label.label}`} style={{ gridColumn: label.week + 2 }}>
              {label.label}
            </span>
          ))}
        </div>
        <div
          role="grid"
          aria-label="Training days, last 12 months"
          aria-describedby="calendar-summary"
          className="calendar-grid"
          ref={grid}
          onKeyDown={move}
          style={{
            gridTemplateColumns: `var(--weekday-column) repeat(${WEEKS_SHOWN}, var(--cell))`,
          }}
        >
          {WEEKDAYS.map((weekday, row) => (
            <div role="row" key={weekday} className="calendar-row">
              <span role="rowheader" className="calendar-weekday">
                <span aria-hidden="true">{row % 2 === 0 ? weekday.slice(0, 3) : ''}</span>
                <span className="visually-hidden">{weekday}</span>
              </span>
              {weeks.map((column) => {
                const day = column[row]!;
                if (day.isFuture)
                  return <span role="gridcell" key={day.key} className="calendar-day future" />;
                const count = counts.get(day.key) ?? 0;
                const classes = [
                  'calendar-day',
                  count > 0 ? (count > 1 ? 'trained many' : 'trained') : '',
                  day.isToday ? 'today' : '',
                  selected === day.key ? 'selected' : '',
                ];
                return (
                  <span role="gridcell" key={day.key} aria-selected={selected === day.key}>
                    <button
                      type="button"
                      data-day={day.key}
                      className={classes.filter(Boolean).join(' ')}
                      aria-label={dayLabel(day.key, count, day.isToday)}
                      tabIndex={day.key === focusKey ? 0 : -1}
                      onFocus={() => setFocusKey(day.key)}
                      onClick={() => onSelect(selected === day.key ? null : day.key)}
                    />
                  </span>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <p className="calendar-legend muted" aria-hidden="true">
        <span className="calendar-day" /> rest <span className="calendar-day trained" /> 1 workout{' '}
        <span className="calendar-day trained many" /> 2 or more{' '}
        <span className="calendar-day today" /> today
      </p>
    </div>
  );
}
