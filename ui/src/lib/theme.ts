// Light, dark or the system's choice, kept in localStorage and applied as
// `data-theme` on <html>.

export type ThemeChoice = 'light' | 'dark' | 'system';
export const THEME_KEY = 'notedeck.theme';

export function parseTheme(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadTheme(): ThemeChoice {
  try {
    return parseTheme(storage()?.getItem(THEME_KEY));
  } catch {
    return 'system';
  }
}

export function saveTheme(choice: ThemeChoice): void {
  try {
    storage()?.setItem(THEME_KEY, choice);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

const darkQuery = () => window.matchMedia?.('(prefers-color-scheme: dark)');

export function applyTheme(choice: ThemeChoice): 'light' | 'dark' {
  const resolved = resolveTheme(choice, darkQuery()?.matches ?? false);
  document.documentElement.dataset.theme = resolved;
  document.documentElement.dataset.themeChoice = choice;
  return resolved;
}

/** Re-applies the theme when the system switches, while "system" is chosen. */
export function followSystemTheme(onChange: () => void): () => void {
  const query = darkQuery();
  if (!query) return () => {};
  const listener = () => {
    if (loadTheme() === 'system') {
      applyTheme('system');
      onChange();
    }
  };
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
