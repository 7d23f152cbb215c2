import type { ComponentPropsWithRef, FocusEvent } from 'react';

type Props = Omit<ComponentPropsWithRef<'input'>, 'inputMode' | 'type'> & {
  /** `numeric` for whole numbers (sets, reps, seconds), `decimal` for weights and RPE. */
  kind: 'numeric' | 'decimal';
};

/**
 * A text field for a number: phones open their number pad, and focusing it selects what it
 * holds, so typing replaces a default ("3", "20") instead of adding to it.
 */
export function NumberInput({ kind, onFocus, ...rest }: Props) {
  function selectAll(event: FocusEvent<HTMLInputElement>) {
    event.currentTarget.select();
    onFocus?.(event);
  }
  return <input {...rest} type="text" inputMode={kind} onFocus={selectAll} />;
}
