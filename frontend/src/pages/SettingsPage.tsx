import { useId, useRef, useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { setWeightUnit } from '../api/training';
import type { WeightUnit } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { NumberInput } from '../components/NumberInput';
import { PLATE_CHOICES, formatPlate, type BarbellSetup } from '../lib/plates';
import { loadSettings, saveSettings } from '../lib/settings';
import { Link } from '../router';
import './SettingsPage.css';

type BarbellDrafts = Record<WeightUnit, { bar: string; plates: number[] }>;

function barbellDrafts(barbell: Record<WeightUnit, BarbellSetup>): BarbellDrafts {
  return {
    kg: { bar: String(barbell.kg.bar), plates: barbell.kg.plates },
    lb: { bar: String(barbell.lb.bar), plates: barbell.lb.plates },
  };
}

export default function SettingsPage() {
  const { store, session } = useAuth();
  const [saved, setSaved] = useState(() => loadSettings());
  const [unit, setUnit] = useState<WeightUnit>(saved.unit);
  const [rest, setRest] = useState(String(saved.restSeconds));
  const [barbell, setBarbell] = useState(() => barbellDrafts(saved.barbell));
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The field a refused value is in: marked invalid, described by the error, and focused.
  const [invalid, setInvalid] = useState<'rest' | 'bar' | null>(null);
  const restField = useRef<HTMLInputElement>(null);
  const barField = useRef<HTMLInputElement>(null);
  const errorId = useId();

  function refuse(field: 'rest' | 'bar', message: string) {
    flushSync(() => {
      setFailure(message);
      setInvalid(field);
    });
    (field === 'rest' ? restField : barField).current?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setInvalid(null);
    const restSeconds = Math.round(Number(rest));
    if (!Number.isFinite(restSeconds) || restSeconds < 0 || restSeconds > 3600) {
      refuse('rest', 'Rest time must be between 0 and 3600 seconds.');
      return;
    }
    const bars = {
      kg: Number(barbell.kg.bar.replace(',', '.')),
      lb: Number(barbell.lb.bar.replace(',', '.')),
    };
    const badBar = (['kg', 'lb'] as const).find(
      (choice) => !Number.isFinite(bars[choice]) || bars[choice] < 0 || bars[choice] > 100,
    );
    if (badBar) {
      // Show the unit whose bar is wrong, so its field is there to be corrected.
      flushSync(() => setUnit(badBar));
      refuse('bar', `Bar weight (${badBar}) must be a number between 0 and 100.`);
      return;
    }
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      // The unit is the account's preference (exports use it too), so the API hears first.
      if (unit !== saved.unit)
        await store.withToken((token) => setWeightUnit(apiClient, token, unit));
      const next = {
        unit,
        restSeconds,
        barbell: {
          kg: { bar: bars.kg, plates: barbell.kg.plates },
          lb: { bar: bars.lb, plates: barbell.lb.plates },
        },
      };
      saveSettings(next);
      setSaved(next);
      setNotice('Settings saved.');
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  if (!session) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Settings</h1>
        <p>
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to change your settings.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1 tabIndex={-1}>Settings</h1>
      <form onSubmit={submit} className="settings-form">
        <fieldset>
          <legend>Weight unit</legend>
          {(['kg', 'lb'] as const).map((choice) => (
            <label key={choice} className="choice">
              <input
                type="radio"
                name="unit"
                value={choice}
                checked={unit === choice}
                onChange={() => setUnit(choice)}
              />{' '}
              {choice === 'kg' ? 'Kilograms (kg)' : 'Pounds (lb)'}
            </label>
          ))}
        </fieldset>
        <label>
          Default rest time (seconds)
          <NumberInput
            kind="numeric"
            ref={restField}
            aria-invalid={invalid === 'rest' ? true : undefined}
            aria-describedby={invalid === 'rest' ? errorId : undefined}
            value={rest}
            onChange={(event) => setRest(event.target.value)}
          />
        </label>
        <fieldset className="barbell-settings">
          <legend>Barbell for the plate calculator ({unit})</legend>
          <label>
            Bar weight ({unit})
            <NumberInput
              kind="decimal"
              ref={barField}
              aria-invalid={invalid === 'bar' ? true : undefined}
              aria-describedby={invalid === 'bar' ? errorId : undefined}
              value={barbell[unit].bar}
              onChange={(event) =>
                setBarbell((current) => ({
                  ...current,
                  [unit]: { ...current[unit], bar: event.target.value },
                }))
              }
            />
          </label>
          <fieldset className="plate-choices">
            <legend>Plates you have ({unit})</legend>
            {PLATE_CHOICES[unit].map((plate) => (
              <label key={plate} className="choice">
                <input
                  type="checkbox"
                  checked={barbell[unit].plates.includes(plate)}
                  onChange={(event) => {
                    const on = event.target.checked;
                    setBarbell((current) => ({
                      ...current,
                      [unit]: {
                        ...current[unit],
                        plates: on
                          ? [...current[unit].plates, plate].sort((a, b) => b - a)
                          : current[unit].plates.filter((other) => other !== plate),
                      },
                    }));
                  }}
                />{' '}
                {formatPlate(plate)} {unit}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <ErrorAlert message={failure} id={errorId} />
        {notice ? (
          <p role="status" className="alert alert-ok">
            {notice}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Save settings
        </button>
      </form>
    </section>
  );
}
