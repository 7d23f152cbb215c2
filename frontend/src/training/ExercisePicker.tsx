import { useEffect, useId, useRef, useState } from 'react';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { createTemplate, searchTemplates } from '../api/training';
import type { ExerciseTemplate } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { recentExercises, recentFirst } from '../lib/settings';

interface Props {
  onPick: (template: ExerciseTemplate) => void;
  onClose: () => void;
}

/** The library search: names and aliases, recently used first, custom when nothing matches. */
export function ExercisePicker({ onPick, onClose }: Props) {
  const { store } = useAuth();
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<ExerciseTemplate[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  useEffect(() => {
    input.current?.focus();
  }, []);

  useEffect(() => {
    let cancelled = false;
    const timer = window.setTimeout(() => {
      store
        .withToken((token) => searchTemplates(apiClient, token, query, 100))
        .then((page) => {
          if (cancelled) return;
          setItems(recentFirst(page.items, recentExercises()));
          setFailure(null);
        })
        .catch((error: unknown) => {
          if (!cancelled) setFailure(errorMessage(error));
        });
    }, 200);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [store, query]);

  async function createCustom() {
    setCreating(true);
    try {
      const template = await store.withToken((token) =>
        createTemplate(apiClient, token, { name: query.trim(), primary_muscle: 'other' }),
      );
      onPick(template);
    } catch (error) {
      setFailure(errorMessage(error));
      setCreating(false);
    }
  }

  const name = query.trim();
  return (
    <section className="picker" aria-label="Add exercise">
      <div className="picker-bar">
        <label htmlFor={`${listId}-q`} className="visually-hidden">
          Search exercises
        </label>
        <input
          id={`${listId}-q`}
          ref={input}
          type="search"
          placeholder="Search exercises"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          aria-controls={listId}
          autoComplete="off"
        />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorAlert message={failure} />
      {items === null && !failure ? <p className="muted">Loading the library…</p> : null}
      <ul id={listId} className="picker-list" aria-label="Exercises">
        {(items ?? []).map((template) => (
          <li key={template.id}>
            <button type="button" onClick={() => onPick(template)}>
              <span className="picker-name">{template.name}</span>
              <span className="muted">
                {template.primary_muscle.replace('_', ' ')} · {template.equipment}
                {template.custom ? ' · custom' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {items !== null && items.length === 0 && name ? (
        <p>
          No exercise matches “{name}”.{' '}
          <button type="button" className="primary" onClick={createCustom} disabled={creating}>
            Create custom exercise “{name}”
          </button>
        </p>
      ) : null}
    </section>
  );
}
