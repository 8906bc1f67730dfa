import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PriceHistory, stepPath } from './PriceHistory';

describe('price history', () => {
  it('draws each price until the next change, the last one until now', () => {
    const x = (t: number) => t;
    const y = (p: number) => p * 10;
    expect(stepPath([{ timestamp: 0, price: 2 }, { timestamp: 50, price: 1.5 }], 100, x, y)).toBe('M0,20 H50 V15 H100');
  });

  it('lists every price change in its text alternative', () => {
    render(
      <PriceHistory
        title="Offer prices"
        now={2_000}
        series={[{ label: '#1 8× H100', points: [{ timestamp: 1_000, price: 2_490_000n }, { timestamp: 1_500, price: 2_190_000n }] }, { label: '#2 empty', points: [] }]}
      />,
    );
    const table = screen.getByRole('table', { hidden: true });
    expect(within(table).getAllByRole('row', { hidden: true })).toHaveLength(2);
    expect(table.textContent).toContain('$2.49/GPU·h');
    expect(table.textContent).toContain('$2.19/GPU·h');
    expect(screen.getByRole('img', { name: 'Offer prices' }).querySelectorAll('path')).toHaveLength(1);
  });

  it('says when nothing was recorded', () => {
    render(<PriceHistory title="Offer prices" series={[]} />);
    expect(screen.getByText('No price recorded yet.')).not.toBeNull();
  });
});
