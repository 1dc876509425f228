// A short explanation shown on hover and on keyboard focus, and read by screen readers with its anchor.
import { type ReactNode, useId } from 'react';

interface TipProps {
  /** What is visible (e.g. "—"). */
  children: ReactNode;
  /** The explanation. */
  tip: string;
  /** Text read instead of the visible content (e.g. "no value" for "—"). */
  spoken?: string;
  className?: string;
}

export function Tip({ children, tip, spoken, className }: TipProps) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can read the explanation.
    <span className={`has-tip ${className ?? ''}`} tabIndex={0} aria-describedby={id} data-reason={tip}>
      {spoken ? (
        <>
          <span aria-hidden="true">{children}</span>
          <span className="visually-hidden">{spoken}</span>
        </>
      ) : (
        children
      )}
      <span role="tooltip" id={id} className="tip">
        {tip}
      </span>
    </span>
  );
}
