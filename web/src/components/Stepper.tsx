/** A quantity stepper, 1..max. Its buttons are aria-disabled, not disabled, so a focused one keeps focus. */
export function Stepper({ label, value, max, closed, onChange }: {
  label: string;
  value: number;
  max: number;
  closed: boolean;
  onChange: (value: number) => void;
}) {
  return (
    <div className="stepper" role="group" aria-label={label}>
      <button type="button" aria-label="One fewer" aria-disabled={closed || value <= 1}
        onClick={() => !closed && onChange(Math.max(1, value - 1))}>−</button>
      <output aria-live="polite">{value}</output>
      <button type="button" aria-label="One more" aria-disabled={closed || value >= max}
        onClick={() => !closed && onChange(Math.min(max, value + 1))}>+</button>
    </div>
  );
}
