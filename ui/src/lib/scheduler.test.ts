import { describe, expect, it } from 'vitest';
import type { EvaluationDto } from './api/types';
import { evaluationSentence, retentionHint, retentionProblem } from './scheduler';

const score = (log_loss: number) => ({ log_loss, rmse_bins: 0.05, reviews_tested: 1200, reviews_trained: 0 });

describe('scheduler', () => {
  it('checks the desired retention as the server does', () => {
    expect(retentionProblem(0.9)).toBeNull();
    expect(retentionProblem(0.7)).toBeNull();
    expect(retentionProblem(0.97)).toBeNull();
    expect(retentionProblem(0.99)).toMatch(/0.70 to 0.97/);
    expect(retentionProblem(Number.NaN)).toMatch(/number/);
  });

  it('says what a retention costs', () => {
    expect(retentionHint(0.9)).toMatch(/90%/);
    expect(retentionHint(0.96)).toMatch(/many more reviews/);
    expect(retentionHint(0.75)).toMatch(/fewer reviews/);
  });

  it('puts the comparison in words, whichever wins', () => {
    const fsrsWins: EvaluationDto = { sm2: score(0.6), fsrs_default: score(0.4), fsrs_fitted: score(0.3) };
    expect(evaluationSentence(fsrsWins)).toBe(
      'On your last 1,200 answers, FSRS predicted whether you would remember 50% better than SM-2 (log loss 0.300 against 0.600): with FSRS, reviews come when you are about to forget.',
    );
    const sm2Wins: EvaluationDto = { sm2: score(0.3), fsrs_default: score(0.4), fsrs_fitted: score(0.35) };
    expect(evaluationSentence(sm2Wins)).toMatch(/SM-2 suits you/);
  });
});
