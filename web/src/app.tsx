// The application shell: session gate, header (workspace, demo badge, language, log out), navigation, and the
// page of the current path. Pages other than the overview load on demand.
import { lazy, type ReactNode, Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './components/language-switcher';
import { ErrorState, Loading } from './components/status';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { Link, navigate, useLocation } from './router';
import { SessionProvider, useSession, useSessionApi } from './session';

const RevenuePage = lazy(() => import('./pages/revenue').then((m) => ({ default: m.RevenuePage })));
const RetentionPage = lazy(() => import('./pages/retention').then((m) => ({ default: m.RetentionPage })));
const SatisfactionPage = lazy(() =>
  import('./pages/satisfaction').then((m) => ({ default: m.SatisfactionPage })),
);
const AccountsPage = lazy(() => import('./pages/accounts').then((m) => ({ default: m.AccountsPage })));
const AccountPage = lazy(() => import('./pages/account').then((m) => ({ default: m.AccountPage })));
const EmployeesPage = lazy(() => import('./pages/employees').then((m) => ({ default: m.EmployeesPage })));
const TargetsPage = lazy(() => import('./pages/targets').then((m) => ({ default: m.TargetsPage })));
const DrillDownPage = lazy(() => import('./pages/drill-down').then((m) => ({ default: m.DrillDownPage })));
const SurveysPage = lazy(() => import('./pages/surveys').then((m) => ({ default: m.SurveysPage })));
const SurveyNewPage = lazy(() => import('./pages/survey-new').then((m) => ({ default: m.SurveyNewPage })));
const SurveyDetailPage = lazy(() =>
  import('./pages/survey-detail').then((m) => ({ default: m.SurveyDetailPage })),
);
const SurveyFatiguePage = lazy(() =>
  import('./pages/survey-fatigue').then((m) => ({ default: m.SurveyFatiguePage })),
);
const SurveySettingsPage = lazy(() =>
  import('./pages/survey-settings').then((m) => ({ default: m.SurveySettingsPage })),
);
const FollowUpsPage = lazy(() => import('./pages/follow-ups').then((m) => ({ default: m.FollowUpsPage })));
const ExperiencePage = lazy(() => import('./pages/experience').then((m) => ({ default: m.ExperiencePage })));
const ClvPage = lazy(() => import('./pages/clv').then((m) => ({ default: m.ClvPage })));
const ThemesPage = lazy(() => import('./pages/themes').then((m) => ({ default: m.ThemesPage })));

/** The navigation, in order: the name is the page's data-page and its i18n key. */
export const NAV = [
  { name: 'overview', path: '/' },
  { name: 'revenue', path: '/revenue' },
  { name: 'retention', path: '/retention' },
  { name: 'satisfaction', path: '/satisfaction' },
  { name: 'themes', path: '/themes' },
  { name: 'experience', path: '/experience' },
  { name: 'clv', path: '/clv' },
  { name: 'accounts', path: '/accounts' },
  { name: 'employees', path: '/employees' },
  { name: 'surveys', path: '/surveys' },
  { name: 'follow-ups', path: '/follow-ups' },
  { name: 'targets', path: '/targets' },
] as const;

function pageFor(path: string): { section: string; node: ReactNode } {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const account = /^\/accounts\/([^/]+)$/.exec(clean);
  if (account) return { section: 'accounts', node: <AccountPage id={decodeURIComponent(account[1]!)} /> };
  const drill = /^\/kpis\/([^/]+)\/rows$/.exec(clean);
  if (drill) return { section: 'overview', node: <DrillDownPage kpi={decodeURIComponent(drill[1]!)} /> };
  const survey = /^\/surveys\/([^/]+)$/.exec(clean);
  if (survey && survey[1] !== 'new' && survey[1] !== 'fatigue' && survey[1] !== 'settings') {
    const id = decodeURIComponent(survey[1]!);
    return { section: 'surveys', node: <SurveyDetailPage key={id} id={id} /> };
  }
  switch (clean) {
    case '/':
    case '/overview':
      return { section: 'overview', node: <OverviewPage /> };
    case '/revenue':
      return { section: 'revenue', node: <RevenuePage /> };
    case '/retention':
      return { section: 'retention', node: <RetentionPage /> };
    case '/satisfaction':
      return { section: 'satisfaction', node: <SatisfactionPage /> };
    case '/accounts':
      return { section: 'accounts', node: <AccountsPage /> };
    case '/employees':
      return { section: 'employees', node: <EmployeesPage /> };
    case '/targets':
      return { section: 'targets', node: <TargetsPage /> };
    case '/surveys':
      return { section: 'surveys', node: <SurveysPage /> };
    case '/surveys/new':
      return { section: 'surveys', node: <SurveyNewPage /> };
    case '/surveys/fatigue':
      return { section: 'surveys', node: <SurveyFatiguePage /> };
    case '/surveys/settings':
      return { section: 'surveys', node: <SurveySettingsPage /> };
    case '/follow-ups':
      return { section: 'follow-ups', node: <FollowUpsPage /> };
    case '/experience':
      return { section: 'experience', node: <ExperiencePage /> };
    case '/clv':
      return { section: 'clv', node: <ClvPage /> };
    case '/themes':
      return { section: 'themes', node: <ThemesPage /> };
    default:
      return { section: '', node: <NotFound /> };
  }
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <main id="main" data-page="not-found" tabIndex={-1}>
      <h1>{t('shell.notFoundTitle')}</h1>
      <p>{t('shell.notFoundText')}</p>
      <Link to="/">{t('nav.overview')}</Link>
    </main>
  );
}

function Shell() {
  const { t } = useTranslation();
  const session = useSession();
  const { logOut } = useSessionApi();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);
  const { section, node } = pageFor(path);

  // After moving to another page, put keyboard and screen-reader focus at its start.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of `path`, by design.
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Fidelio
        </Link>
        <span className="workspace" title={t('shell.workspace')}>
          {session.workspace}
        </span>
        {session.demo ? (
          <span className="badge demo" data-demo-badge="" title={t('shell.demoHint')}>
            {t('shell.demo')}
          </span>
        ) : null}
        <div className="topbar-end">
          <LanguageSwitcher />
          <span className="who" data-role={session.role}>
            <span className="visually-hidden">{t('shell.loggedInAs')} </span>
            {session.email}
          </span>
          <button
            type="button"
            className="button subtle"
            onClick={() => void logOut().then(() => navigate('/', true))}
            data-logout=""
          >
            {t('shell.logout')}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label={t('shell.navigation')}>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav-list"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t('shell.menu')}
        </button>
        <ul id="nav-list" className={menuOpen ? 'open' : ''}>
          {NAV.map((item) => (
            <li key={item.name}>
              <Link
                to={item.path}
                data-nav={item.name}
                aria-current={section === item.name ? 'page' : undefined}
              >
                {t(`nav.${item.name}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Suspense
        fallback={
          <main id="main" tabIndex={-1}>
            <Loading />
          </main>
        }
      >
        {node}
      </Suspense>
      <footer className="footer">
        <a href="/api/docs">{t('shell.apiDocs')}</a>
      </footer>
    </div>
  );
}

function Gate() {
  const { state, reload } = useSessionApi();
  switch (state.status) {
    case 'loading':
      return (
        <main id="main" data-page="loading">
          <Loading />
        </main>
      );
    case 'error':
      return (
        <main id="main" data-page="error">
          <ErrorState error={state.error} retry={reload} />
        </main>
      );
    case 'anonymous':
      return <LoginPage expired={state.expired} />;
    case 'in':
      return <Shell key={`${state.session.workspace}:${state.session.email}`} />;
  }
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
