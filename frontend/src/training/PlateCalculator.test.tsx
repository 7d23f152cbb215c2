import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_BARBELL } from '../lib/plates';
import { PlateCalculator } from './PlateCalculator';

describe('PlateCalculator', () => {
  it('shows the plates per side for the entered weight', () => {
    render(
      <PlateCalculator
        initialWeight="142.5"
        unit="kg"
        setup={DEFAULT_BARBELL.kg}
        onClose={vi.fn()}
      />,
    );
    const side = screen.getByRole('list', { name: 'Each side' });
    expect(
      within(side)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['2 × 25 kg', '1 × 10 kg', '1 × 1.25 kg']);
    expect(screen.getByText(/Bar 20 kg/)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('142.5 kg = bar 20 kg + 2 × 61.25 kg');
  });

  it('says when a weight cannot be made exactly, and when it is below the bar', async () => {
    const user = userEvent.setup();
    render(
      <PlateCalculator
        initialWeight="101"
        unit="kg"
        setup={DEFAULT_BARBELL.kg}
        onClose={vi.fn()}
      />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      '101 kg cannot be made exactly with your plates: this loads 100 kg',
    );
    const input = screen.getByLabelText('Weight on the bar (kg)');
    await user.clear(input);
    await user.type(input, '15');
    expect(screen.getByRole('status')).toHaveTextContent('15 kg is less than the 20 kg bar.');
  });

  it('works in pounds with the pound bar and closes', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <PlateCalculator
        initialWeight="225"
        unit="lb"
        setup={DEFAULT_BARBELL.lb}
        onClose={onClose}
      />,
    );
    expect(screen.getByRole('list', { name: 'Each side' })).toHaveTextContent('2 × 45 lb');
    await user.click(screen.getByRole('button', { name: 'Close plates' }));
    expect(onClose).toHaveBeenCalled();
  });
});
