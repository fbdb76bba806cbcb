import { describe, expect, it } from 'vitest';
import { describeStudy, studyFromParams, studyParams, studyRequest } from './study';

describe('custom study', () => {
  it('round-trips through the address', () => {
    const study = studyFromParams({ deck: 'Bio', study: 'ahead', count: '3' });
    expect(study).toEqual({ kind: 'ahead', count: 3, deck: 'Bio', tag: null, search: null });
    expect(studyParams(study!)).toEqual({ deck: 'Bio', study: 'ahead', count: '3', tag: null, search: null });
    expect(studyFromParams({ deck: 'Bio' })).toBeNull();
    expect(studyFromParams({ study: 'binge' })).toBeNull();
  });

  it('asks the API for one kind of session', () => {
    expect(studyRequest({ kind: 'cram', count: null, deck: 'Bio', tag: null, search: null })).toEqual({ deck: 'Bio', cram: true });
    expect(studyRequest({ kind: 'extra_new', count: 10, deck: null, tag: 'exam', search: null })).toEqual({ tag: 'exam', extra_new: 10 });
    expect(studyRequest({ kind: 'failed_today', count: null, deck: null, tag: null, search: 'state:young' })).toEqual({
      search: 'state:young',
      failed_today: true,
    });
  });

  it('says what the session is', () => {
    expect(describeStudy({ kind: 'ahead', count: 1, deck: null, tag: null, search: null })).toBe('Review ahead 1 day');
    expect(describeStudy({ kind: 'cram', count: null, deck: null, tag: null, search: null })).toBe('Cram (schedules unchanged)');
  });
});
