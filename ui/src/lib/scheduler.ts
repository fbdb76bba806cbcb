// The scheduler settings and the comparison of schedulers, in words.

import type { EvaluationDto } from './api/types';
import { formatCount } from './format';

/** FSRS's desired retention must lie in this range (as the server checks). */
export const RETENTION_MIN = 0.7;
export const RETENTION_MAX = 0.97;

/** What is wrong with a desired retention, or null. */
export function retentionProblem(value: number): string | null {
  if (!Number.isFinite(value)) return 'Type a number, such as 0.90.';
  if (value < RETENTION_MIN || value > RETENTION_MAX) return 'Choose from 0.70 to 0.97; 0.90 is the usual choice.';
  return null;
}

/** What a retention means for the learner's workload, in a line. */
export function retentionHint(value: number): string {
  if (retentionProblem(value)) return 'The chance of recall each review is scheduled for.';
  const percent = Math.round(value * 100);
  if (value >= 0.95) return `Reviews come when you still recall ${percent}% of cards: many more reviews for a little more memory.`;
  if (value <= 0.8) return `Reviews come when you recall ${percent}% of cards: fewer reviews, more forgetting.`;
  return `Reviews come when you are about to fall below ${percent}% recall.`;
}

/** The comparison of schedulers in plain words. */
export function evaluationSentence(evaluation: EvaluationDto): string {
  const fsrs = Math.min(evaluation.fsrs_fitted.log_loss, evaluation.fsrs_default.log_loss);
  const sm2 = evaluation.sm2.log_loss;
  const tested = formatCount(evaluation.sm2.reviews_tested);
  if (fsrs < sm2) {
    const better = Math.round((1 - fsrs / sm2) * 100);
    return `On your last ${tested} answers, FSRS predicted whether you would remember ${better}% better than SM-2 (log loss ${fsrs.toFixed(3)} against ${sm2.toFixed(3)}): with FSRS, reviews come when you are about to forget.`;
  }
  return `On your last ${tested} answers, SM-2 predicted your recall as well as FSRS or better (log loss ${sm2.toFixed(3)} against ${fsrs.toFixed(3)}): SM-2 suits you as it is.`;
}
