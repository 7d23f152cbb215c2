import { useId, useState } from 'react';
import type { WeightUnit } from '../api/trainingTypes';
import { NumberInput } from '../components/NumberInput';
import { formatPlate, groupPlates, plateLoad, type BarbellSetup } from '../lib/plates';
import './PlateCalculator.css';

/**
 * Plates per side for a barbell weight, with the bar and plates from Settings. The weight
 * starts as the set's entered weight and can be changed here without touching the set.
 */
export function PlateCalculator({
  initialWeight,
  unit,
  setup,
  onClose,
}: {
  initialWeight: string;
  unit: WeightUnit;
  setup: BarbellSetup;
  onClose: () => void;
}) {
  const [weight, setWeight] = useState(initialWeight);
  const id = useId();
  const target = Number(weight.replace(',', '.'));
  const load = weight.trim() === '' ? null : plateLoad(target, setup);
  const plates = [...setup.plates].sort((a, b) => b - a);

  return (
    <section className="plate-calculator" aria-labelledby={`${id}-title`}>
      <div className="plate-calculator-head">
        <h3 id={`${id}-title`}>Plates per side</h3>
        <button type="button" onClick={onClose} aria-label="Close plates">
          Close
        </button>
      </div>
      <label className="plate-weight">
        Weight on the bar ({unit})
        <NumberInput
          kind="decimal"
          value={weight}
          onChange={(event) => setWeight(event.target.value)}
        />
      </label>
      <div role="status" aria-live="polite" className="plate-result">
        {load === null ? (
          <p className="muted">Enter a weight to see the plates.</p>
        ) : load.kind === 'below-bar' ? (
          <p className="plate-warning">
            {Number.isFinite(load.target)
              ? `${formatPlate(load.target)} ${unit} is less than the ${formatPlate(load.bar)} ${unit} bar.`
              : 'Enter the weight as a number.'}
          </p>
        ) : (
          <>
            {load.perSide.length === 0 ? (
              <p className="plate-summary">Just the bar: no plates.</p>
            ) : (
              <ul className="plate-list" aria-label="Each side">
                {groupPlates(load.perSide).map(({ plate, count }) => (
                  <li key={plate}>
                    <span className="plate-count">{count} ×</span>{' '}
                    <span className="plate-chip">
                      {formatPlate(plate)} {unit}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {load.perSide.length > 0 ? (
              <p className="plate-summary">
                {formatPlate(load.total)} {unit} = bar {formatPlate(load.bar)} {unit} + 2 ×{' '}
                {formatPlate((load.total - load.bar) / 2)} {unit}
              </p>
            ) : null}
            {load.exact ? null : (
              <p className="plate-warning">
                {formatPlate(load.target)} {unit} cannot be made exactly with your plates: this
                loads {formatPlate(load.total)} {unit}, the nearest lower weight.
              </p>
            )}
          </>
        )}
      </div>
      <p className="muted plate-setup">
        Bar {formatPlate(setup.bar)} {unit} · plates{' '}
        {plates.length > 0 ? plates.map(formatPlate).join(', ') : 'none'} {unit} (change in
        Settings)
      </p>
    </section>
  );
}
