// Checks the settings form before it is sent.

import type { SettingsDto } from './api/types';

/** The settings typed as numbers in the form. */
export type NumericSetting = keyof Pick<SettingsDto, 'new_per_day' | 'reviews_per_day' | 'rollover_hour'>;

export type SettingsProblems = Partial<Record<NumericSetting, string>>;

/** What is wrong with each field, if anything (empty fields are null). */
export function settingsProblems(form: { [K in NumericSetting]: number | null | undefined }): SettingsProblems {
  const problems: SettingsProblems = {};
  const whole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  if (!whole(form.new_per_day) || form.new_per_day < 0) problems.new_per_day = 'A whole number, 0 or more.';
  if (!whole(form.reviews_per_day) || form.reviews_per_day < 0) problems.reviews_per_day = 'A whole number, 0 or more.';
  if (!whole(form.rollover_hour) || form.rollover_hour < 0 || form.rollover_hour > 23) problems.rollover_hour = 'An hour from 0 to 23.';
  return problems;
}
