import { describe, expect, it } from 'vitest';
import { reviewKeyAction } from './keys';

describe('reviewKeyAction', () => {
  it('shows the answer on Space or Enter while the front is shown', () => {
    expect(reviewKeyAction({ key: ' ' }, 'front')).toEqual({ type: 'show' });
    expect(reviewKeyAction({ key: 'Enter' }, 'front')).toEqual({ type: 'show' });
  });

  it('answers Good on Space or Enter on the answer side, as in Anki', () => {
    expect(reviewKeyAction({ key: ' ' }, 'back')).toEqual({ type: 'answer', grade: 'good' });
    expect(reviewKeyAction({ key: 'Enter' }, 'back')).toEqual({ type: 'answer', grade: 'good' });
    expect(reviewKeyAction({ key: ' ' }, 'busy')).toBeNull();
  });

  it('suspends on @, buries on -, opens the note on o, on either side', () => {
    for (const phase of ['front', 'back'] as const) {
      expect(reviewKeyAction({ key: '@', shiftKey: true }, phase)).toEqual({ type: 'suspend' });
      expect(reviewKeyAction({ key: '-' }, phase)).toEqual({ type: 'bury' });
      expect(reviewKeyAction({ key: 'o' }, phase)).toEqual({ type: 'open' });
    }
    expect(reviewKeyAction({ key: '@' }, 'busy')).toBeNull();
    expect(reviewKeyAction({ key: '-', inTextField: true }, 'front')).toBeNull();
  });

  it('makes a cloze on c and a question on q from the answer side only', () => {
    expect(reviewKeyAction({ key: 'c' }, 'back')).toEqual({ type: 'cloze' });
    expect(reviewKeyAction({ key: 'Q', shiftKey: true }, 'back')).toEqual({ type: 'question' });
    expect(reviewKeyAction({ key: 'c' }, 'front')).toBeNull();
    expect(reviewKeyAction({ key: 'q', inTextField: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: 'c', ctrlKey: true }, 'back')).toBeNull();
  });

  it('answers on 1–4 only once the answer is shown', () => {
    expect(reviewKeyAction({ key: '1' }, 'back')).toEqual({ type: 'answer', grade: 'again' });
    expect(reviewKeyAction({ key: '2' }, 'back')).toEqual({ type: 'answer', grade: 'hard' });
    expect(reviewKeyAction({ key: '3' }, 'back')).toEqual({ type: 'answer', grade: 'good' });
    expect(reviewKeyAction({ key: '4' }, 'back')).toEqual({ type: 'answer', grade: 'easy' });
    expect(reviewKeyAction({ key: '3' }, 'front')).toBeNull();
    expect(reviewKeyAction({ key: '5' }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: '3' }, 'busy')).toBeNull();
  });

  it('undoes on u and on Ctrl+Z or Cmd+Z in any phase', () => {
    for (const phase of ['front', 'back', 'busy'] as const) {
      expect(reviewKeyAction({ key: 'u' }, phase)).toEqual({ type: 'undo' });
      expect(reviewKeyAction({ key: 'U' }, phase)).toEqual({ type: 'undo' });
      expect(reviewKeyAction({ key: 'z', ctrlKey: true }, phase)).toEqual({ type: 'undo' });
      expect(reviewKeyAction({ key: 'z', metaKey: true }, phase)).toEqual({ type: 'undo' });
    }
    expect(reviewKeyAction({ key: 'z', ctrlKey: true, shiftKey: true }, 'front')).toBeNull();
  });

  it('leaves other modified keys to the browser', () => {
    expect(reviewKeyAction({ key: '3', ctrlKey: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: 'u', altKey: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: 'r', ctrlKey: true }, 'front')).toBeNull();
  });

  it('ignores held-down keys so one press is one answer', () => {
    expect(reviewKeyAction({ key: '3', repeat: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: ' ', repeat: true }, 'front')).toBeNull();
    expect(reviewKeyAction({ key: 'u', repeat: true }, 'front')).toBeNull();
  });

  it('does nothing while typing in a field', () => {
    expect(reviewKeyAction({ key: '3', inTextField: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: 'u', inTextField: true }, 'back')).toBeNull();
    expect(reviewKeyAction({ key: 'z', ctrlKey: true, inTextField: true }, 'back')).toBeNull();
  });

  it('lets a focused button or link keep Space and Enter, but not the digits', () => {
    expect(reviewKeyAction({ key: 'Enter', onControl: true }, 'front')).toBeNull();
    expect(reviewKeyAction({ key: ' ', onControl: true }, 'front')).toBeNull();
    expect(reviewKeyAction({ key: '4', onControl: true }, 'back')).toEqual({ type: 'answer', grade: 'easy' });
  });
});
