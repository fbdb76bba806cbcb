// Undo without surprises: a step the learner did not just take on this
// screen (an answer given yesterday, or in the terminal, or on another
// screen) is named and asked about before it is taken back, and the undo
// names exactly the step that was shown (`expected`), so a step given in
// between is never taken back instead.

import type { UndoStepDto } from './api/types';

/** True when `step` must be confirmed: not today, or not one of `own`. */
export function needsAsking(step: UndoStepDto, own: ReadonlySet<string>): boolean {
  return !step.today || !own.has(step.id);
}

/** The question asked before taking back `step`. */
export function undoQuestion(step: UndoStepDto): string {
  return `Take back ${step.description}?`;
}
