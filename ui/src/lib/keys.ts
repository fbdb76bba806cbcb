// The review screen's keyboard: Space or Enter shows the answer (and, on
// the answer side, answers Good, as in Anki), 1–4 answer Again, Hard,
// Good, Easy, u or Ctrl+Z (⌘Z) undoes, @ suspends the card, - buries it
// until tomorrow, o opens its note; on the answer side (and on a reading
// card) c makes a cloze of the selected text and q a question it answers.

import type { Grade } from './api/types';

export type ReviewPhase = 'front' | 'back' | 'busy';
/** The four answer buttons: the grades that have a name. */
export type AnswerButton = Extract<Grade, 'again' | 'hard' | 'good' | 'easy'>;

export const ANSWER_BUTTONS: readonly { grade: AnswerButton; label: string; key: string }[] = [
  { grade: 'again', label: 'Again', key: '1' },
  { grade: 'hard', label: 'Hard', key: '2' },
  { grade: 'good', label: 'Good', key: '3' },
  { grade: 'easy', label: 'Easy', key: '4' },
];

export type ReviewAction =
  | { type: 'show' }
  | { type: 'answer'; grade: AnswerButton }
  | { type: 'undo' }
  | { type: 'suspend' }
  | { type: 'bury' }
  | { type: 'open' }
  | { type: 'cloze' }
  | { type: 'question' };

/** The keys of the actions on the card on screen. */
export const CARD_KEYS = { suspend: '@', bury: '-', open: 'o', cloze: 'c', question: 'q' } as const;

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  repeat?: boolean;
  /** The focused element types text (input, textarea, select, contenteditable). */
  inTextField?: boolean;
  /** The focused element is a button, link or summary that Space/Enter activates. */
  onControl?: boolean;
}

/** What a key press means in the given phase, or null to leave it alone. */
export function reviewKeyAction(press: KeyPress, phase: ReviewPhase): ReviewAction | null {
  if (press.inTextField) return null;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if ((press.ctrlKey || press.metaKey) && !press.altKey && !press.shiftKey && key === 'z') {
    return press.repeat ? null : { type: 'undo' };
  }
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.repeat) return null;
  if (key === 'u') return { type: 'undo' };
  if (phase === 'busy') return null;
  if (key === CARD_KEYS.suspend) return { type: 'suspend' };
  if (key === CARD_KEYS.bury) return { type: 'bury' };
  if (key === CARD_KEYS.open) return { type: 'open' };
  if (key === ' ' || key === 'Enter') {
    // A focused button or link keeps its own Space and Enter.
    if (press.onControl) return null;
    return phase === 'front' ? { type: 'show' } : { type: 'answer', grade: 'good' };
  }
  if (phase === 'back') {
    const button = ANSWER_BUTTONS.find((b) => b.key === key);
    if (button) return { type: 'answer', grade: button.grade };
    if (key === CARD_KEYS.cloze) return { type: 'cloze' };
    if (key === CARD_KEYS.question) return { type: 'question' };
  }
  return null;
}

/** Reads the focus facts of a real event's target. */
export function describeTarget(target: EventTarget | null): Pick<KeyPress, 'inTextField' | 'onControl'> {
  if (!target || typeof (target as Element).closest !== 'function') return {};
  const el = target as HTMLElement;
  const inTextField =
    el.isContentEditable || el.closest('input, textarea, select, [contenteditable="true"]') !== null;
  const onControl = el.closest('button, a[href], summary, [role="button"]') !== null;
  return { inTextField, onControl };
}
