import type { RefObject } from 'react';
import type { Indicator } from '../hooks/useConnection';

interface Props {
  indicator: Indicator;
  /** Holds still running (the badge). */
  running: number;
  panelOpen: boolean;
  buttonRef: RefObject<HTMLButtonElement | null>;
  onToggle: () => void;
}

/** The shop's name, the live indicator and the "Your holds" button with its count. */
export function ShopHeader({ indicator, running, panelOpen, buttonRef, onToggle }: Props) {
  return (
    <header className="top">
      <h1 className="brand">Flash Drop</h1>
      <span className={`live live-${indicator.connection}`} data-testid="live-indicator">
        <span className="dot" aria-hidden="true" />
        <span className="live-label">{indicator.label}</span>
      </span>
      <button type="button" ref={buttonRef} className="holds-button" aria-expanded={panelOpen} aria-controls="holds-panel"
        onClick={onToggle}>
        Your holds <span className="count" aria-label={`${running} active`}>{running}</span>
      </button>
    </header>
  );
}
