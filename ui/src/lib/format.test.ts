import { describe, expect, it } from 'vitest';
import { answerPreview, describeAnswerPreview, formatStep, describeInterval, describeSkipped, fileName, formatDuration, formatInterval, formatCount, formatPercent, obsidianHref, plural, sectionHeading, clozeAnswerHtml } from './format';

describe('formatInterval', () => {
  it.each([
    [0, '<1d'],
    [1, '1d'],
    [6, '6d'],
    [29, '29d'],
    [30, '1mo'],
    [45, '1.5mo'],
    [90, '3mo'],
    [300, '10mo'],
    [364, '12mo'],
    [365, '1y'],
    [400, '1.1y'],
    [3650, '10y'],
    [7300, '20y'],
  ])('%i days is %s', (days, text) => {
    expect(formatInterval(days)).toBe(text);
  });

  it('treats nonsense as less than a day', () => {
    expect(formatInterval(Number.NaN)).toBe('<1d');
    expect(formatInterval(-3)).toBe('<1d');
  });
});

describe('describeInterval', () => {
  it('speaks days, months and years', () => {
    expect(describeInterval(0)).toBe('again today');
    expect(describeInterval(1)).toBe('in 1 day');
    expect(describeInterval(6)).toBe('in 6 days');
    expect(describeInterval(90)).toBe('in about 3 months');
    expect(describeInterval(730)).toBe('in about 2 years');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [999, '1 s'],
    [42_000, '42 s'],
    [60_000, '1 min'],
    [12 * 60_000 + 20_000, '12 min'],
    [60 * 60_000, '1 h'],
    [65 * 60_000, '1 h 5 min'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatPercent', () => {
  it('shows one decimal, and a dash without data', () => {
    expect(formatPercent(0.925)).toBe('92.5%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(null)).toBe('–');
  });
});

describe('small helpers', () => {
  it('groups thousands as English writes them', () => {
    for (const n of [0, 7, 999, 1000, 65536, 1234567, -4321, 12.5]) expect(formatCount(n)).toBe(n.toLocaleString('en'));
  });

  it('pluralises', () => {
    expect(plural(1, 'card')).toBe('1 card');
    expect(plural(2, 'card')).toBe('2 cards');
    expect(plural(1200, 'day')).toBe('1,200 days');
    expect(plural(1234567, 'card')).toBe('1,234,567 cards');
    expect(plural(100, 'card')).toBe('100 cards');
  });

  it('takes the file name of POSIX and Windows paths', () => {
    expect(fileName('/home/me/vault/cells.md')).toBe('cells.md');
    expect(fileName('C:\\vault\\cells.md')).toBe('cells.md');
  });

  it('links a note for Obsidian with the path encoded', () => {
    expect(obsidianHref('/home/me/my notes/a&b.md')).toBe('obsidian://open?path=%2Fhome%2Fme%2Fmy%20notes%2Fa%26b.md');
  });

  it('opens the note at the card’s heading', () => {
    expect(obsidianHref('/v/cells.md', 'Cell walls')).toBe('obsidian://open?path=%2Fv%2Fcells.md%23Cell%20walls');
    expect(obsidianHref('/v/cells.md', 'What is [[ATP]]? #bio')).toBe('obsidian://open?path=%2Fv%2Fcells.md%23What%20is%20ATP%3F%20bio');
    expect(obsidianHref('/v/cells.md', '#')).toBe('obsidian://open?path=%2Fv%2Fcells.md');
    expect(obsidianHref('/v/cells.md', null)).toBe('obsidian://open?path=%2Fv%2Fcells.md');
  });
});

describe('describeSkipped', () => {
  it('names the heading and line when known', () => {
    expect(describeSkipped({ heading: 'Scalable Oversight', line: 39, reason: 'heading has no content of its own' })).toBe(
      '“Scalable Oversight” (line 39): heading has no content of its own',
    );
    expect(describeSkipped({ heading: null, line: null, reason: 'empty note' })).toBe('empty note');
    expect(describeSkipped({ heading: null, line: 3, reason: 'x' })).toBe('(line 3): x');
  });
});

describe('sectionHeading', () => {
  it('is the last heading of a section card, the one before a written card', () => {
    expect(sectionHeading({ kind: 'section', heading_path: ['Cells', 'Walls'] })).toBe('Walls');
    expect(sectionHeading({ kind: 'cloze', heading_path: ['Cells', 'c1: mitochondria'] })).toBe('Cells');
    expect(sectionHeading({ kind: 'basic', heading_path: ['France'] })).toBeNull();
    expect(sectionHeading({ kind: 'section', heading_path: [] })).toBeNull();
  });
});

describe('clozeAnswerHtml', () => {
  it('keeps the breadcrumb and puts the answer where the blank was', () => {
    const front = '<div class="breadcrumb">Bio › Cells</div><div class="front"><p>The […] makes ATP.</p></div>';
    expect(clozeAnswerHtml(front, '<p>The <mark>mitochondrion</mark> makes ATP.</p>')).toBe(
      '<div class="breadcrumb">Bio › Cells</div><div class="front"><p>The <mark>mitochondrion</mark> makes ATP.</p></div>',
    );
    expect(clozeAnswerHtml('<p>odd</p>', '<p>back</p>')).toBe('<p>back</p>');
  });
});

describe('answerPreview', () => {
  it('says Again and Hard bring the card back today, then after the interval', () => {
    expect(answerPreview('again', 1)).toBe('today · 1d');
    expect(answerPreview('hard', 6)).toBe('today · 6d');
    expect(answerPreview('good', 6)).toBe('6d');
    expect(describeAnswerPreview('hard', 1)).toBe('again later today, then in 1 day');
    expect(describeAnswerPreview('easy', 6)).toBe('in 6 days');
  });

  it('writes a learning step in seconds, minutes or hours', () => {
    expect(formatStep(30)).toBe('30s');
    expect(formatStep(330)).toBe('6m');
    expect(formatStep(5400)).toBe('1.5h');
  });

  it('says a reading card comes back after its interval only', () => {
    expect(answerPreview('hard', 1, true)).toBe('1d');
    expect(describeAnswerPreview('good', 3, true)).toBe('read it again in 3 days');
  });
});
