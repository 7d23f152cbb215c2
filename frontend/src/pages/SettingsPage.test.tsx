import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../lib/settings';
import { renderWithSession } from '../test/render';
import SettingsPage from './SettingsPage';

describe('SettingsPage', () => {
  it('keeps the bar weight and the plates at hand for the plate calculator', async () => {
    const user = userEvent.setup();
    renderWithSession(<SettingsPage />, 'user');
    expect(screen.getByLabelText('Bar weight (kg)')).toHaveValue('20');
    expect(screen.getByLabelText('1.25 kg')).toBeChecked();
    expect(screen.getByLabelText('2 kg')).not.toBeChecked();

    await user.clear(screen.getByLabelText('Bar weight (kg)'));
    await user.type(screen.getByLabelText('Bar weight (kg)'), '15');
    await user.click(screen.getByLabelText('1.25 kg'));
    await user.click(screen.getByLabelText('2 kg'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(await screen.findByText('Settings saved.')).toBeInTheDocument();
    expect(loadSettings().barbell).toEqual({
      kg: { bar: 15, plates: [25, 20, 15, 10, 5, 2.5, 2] },
      lb: { bar: 45, plates: [45, 35, 25, 10, 5, 2.5] },
    });
  });

  it('refuses a bar weight that is not a number', async () => {
    const user = userEvent.setup();
    renderWithSession(<SettingsPage />, 'user');
    await user.clear(screen.getByLabelText('Bar weight (kg)'));
    await user.type(screen.getByLabelText('Bar weight (kg)'), 'heavy');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Bar weight (kg) must be a number between 0 and 100.',
    );
    const bar = screen.getByLabelText('Bar weight (kg)');
    expect(bar).toHaveFocus();
    expect(bar).toHaveAttribute('aria-invalid', 'true');
    expect(bar).toHaveAccessibleDescription('Bar weight (kg) must be a number between 0 and 100.');
  });

  it('opens the number pad and selects the value of its number fields on focus', async () => {
    const user = userEvent.setup();
    renderWithSession(<SettingsPage />, 'user');
    const rest = screen.getByLabelText('Default rest time (seconds)') as HTMLInputElement;
    expect(rest).toHaveAttribute('inputmode', 'numeric');
    expect(screen.getByLabelText('Bar weight (kg)')).toHaveAttribute('inputmode', 'decimal');

    await user.click(rest);
    expect([rest.selectionStart, rest.selectionEnd]).toEqual([0, rest.value.length]);
    await user.keyboard('120');
    expect(rest).toHaveValue('120');
  });
});
