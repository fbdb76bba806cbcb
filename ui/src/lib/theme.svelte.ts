// The theme as reactive state, so charts can redraw in the new colours.

import { applyTheme, followSystemTheme, loadTheme, saveTheme, type ThemeChoice } from './theme';

const initial = loadTheme();
export const theme: { choice: ThemeChoice; resolved: 'light' | 'dark' } = $state({
  choice: initial,
  resolved: applyTheme(initial),
});

followSystemTheme(() => {
  theme.resolved = applyTheme('system');
});

export function setTheme(choice: ThemeChoice): void {
  saveTheme(choice);
  theme.choice = choice;
  theme.resolved = applyTheme(choice);
}
