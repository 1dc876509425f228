// A page's main landmark: its data-page name (tests and styles rely on it), its heading and document title.
import { type ReactNode, useEffect } from 'react';

interface PageProps {
  name: string;
  title: string;
  /** Controls beside the heading (pickers, filters). */
  actions?: ReactNode;
  children: ReactNode;
  attributes?: Record<`data-${string}`, string>;
}

export function Page({ name, title, actions, children, attributes }: PageProps) {
  useEffect(() => {
    document.title = `${title} · Fidelio`;
  }, [title]);
  return (
    <main id="main" data-page={name} tabIndex={-1} className="page" {...attributes}>
      <div className="page-head">
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </main>
  );
}
