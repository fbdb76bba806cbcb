import { describe, expect, it } from 'vitest';
import { answerDuration, applyRemoteImages, LOCAL_IMAGES_POLICY, type PolicyDocument } from './privacy';

function fakeDocument() {
  const appended: { httpEquiv: string; content: string; dataset: Record<string, string> }[] = [];
  const doc: PolicyDocument = {
    head: {
      append: (node) => appended.push(node as (typeof appended)[number]),
      querySelector: () => (appended.length > 0 ? appended[0] : null),
    },
    createElement: () => ({ httpEquiv: '', content: '', dataset: {} }),
  };
  return { doc, appended };
}

describe('remote images', () => {
  it('adds one policy when they are turned off', () => {
    const { doc, appended } = fakeDocument();
    expect(applyRemoteImages(false, doc)).toBe(false);
    expect(applyRemoteImages(false, doc)).toBe(false);
    expect(appended).toHaveLength(1);
    expect(appended[0].httpEquiv).toBe('Content-Security-Policy');
    expect(appended[0].content).toBe(LOCAL_IMAGES_POLICY);
    expect(appended[0].content).not.toContain('https:');
  });

  it('asks for a reload to allow them again', () => {
    const { doc } = fakeDocument();
    expect(applyRemoteImages(true, doc)).toBe(false);
    applyRemoteImages(false, doc);
    expect(applyRemoteImages(true, doc)).toBe(true);
  });
});

describe('answer durations', () => {
  it('are whole milliseconds from 0 to one day', () => {
    expect(answerDuration(1234.6)).toBe(1235);
    expect(answerDuration(-5)).toBe(0);
    expect(answerDuration(10 * 86_400_000)).toBe(86_400_000);
    expect(answerDuration(Number.NaN)).toBeNull();
    expect(answerDuration(undefined)).toBeNull();
  });
});
