// i18next with the dashboard's four languages bundled (en, it, fr, ms); the first pick is the browser's
// language, and a choice made in the switcher is remembered in this browser (a preference, not a secret).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';
import it from './it.json';
import ms from './ms.json';

export const LANGUAGES = ['en', 'it', 'fr', 'ms'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  it: 'Italiano',
  fr: 'Français',
  ms: 'Bahasa Melayu',
};

function isLanguage(tag: string): tag is Language {
  return (LANGUAGES as readonly string[]).includes(tag);
}

/** The first of the browser's preferred languages that the dashboard speaks, else English. */
export function browserLanguage(preferred: readonly string[] = navigator.languages ?? [navigator.language]) {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

export function currentLanguage(): Language {
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return lang !== undefined && isLanguage(lang) ? lang : 'en';
}

const CHOICE_KEY = 'fidelio.language';

/** The language chosen earlier in this browser, if storage is available and holds one. */
function rememberedLanguage(): Language | null {
  try {
    const saved = window.localStorage.getItem(CHOICE_KEY);
    return saved !== null && isLanguage(saved) ? saved : null;
  } catch {
    return null;
  }
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    window.localStorage.setItem(CHOICE_KEY, lang);
  } catch {
    // Private modes may refuse storage: the choice then lasts for this page only.
  }
  await i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export function initI18n(): typeof i18n {
  const lng = rememberedLanguage() ?? browserLanguage();
  void i18n.use(initReactI18next).init({
    resources: {
      en: { translation: en },
      it: { translation: it },
      fr: { translation: fr },
      ms: { translation: ms },
    },
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    // React escapes every string it renders.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18n;
}
