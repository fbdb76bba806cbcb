// The app's error banner: every failure ends up here as a readable line.

import { toBackendError } from './api/backend';

export interface ShownError {
  id: number;
  code: string;
  message: string;
}

let next = 1;
export const errors: ShownError[] = $state([]);

export function reportError(err: unknown, context?: string): void {
  const { code, message } = toBackendError(err);
  const text = context ? `${context}: ${message}` : message;
  // The same message twice in a row is shown once.
  if (errors.some((e) => e.message === text)) return;
  errors.push({ id: next++, code, message: text });
}

export function dismissError(id: number): void {
  const index = errors.findIndex((e) => e.id === id);
  if (index !== -1) errors.splice(index, 1);
}

export function clearErrors(): void {
  errors.length = 0;
}
