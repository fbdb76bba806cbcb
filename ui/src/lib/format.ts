// Numbers as the UI writes them: intervals, durations, rates.

/** An interval in days, short: "1d", "6d", "3mo", "1.5mo", "2.1y". */
export function formatInterval(days: number): string {
  if (!Number.isFinite(days) || days <= 0) return '<1d';
  if (days < 30) return `${Math.round(days)}d`;
  if (days < 365) return `${oneDecimal(days / 30)}mo`;
  return `${oneDecimal(days / 365)}y`;
}

/** One decimal below 10, whole numbers above, no trailing ".0". */
function oneDecimal(value: number): string {
  const rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return String(rounded);
}

/** A spoken form of an interval for screen readers: "in 6 days". */
export function describeInterval(days: number): string {
  if (!Number.isFinite(days) || days <= 0) return 'again today';
  if (days === 1) return 'in 1 day';
  if (days < 30) return `in ${Math.round(days)} days`;
  if (days < 365) return `in about ${oneDecimal(days / 30)} months`;
  return `in about ${oneDecimal(days / 365)} years`;
}

/**
 * When an answer brings the card back, as its button says it. Again and
 * Hard (grades below 4) bring it back later today as well (SM-2's
 * same-day repeat), then after the interval: "today · 1d".
 */
/** A wait within the learning steps: `30s`, `10m`, `1.5h`. */
export function formatStep(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)}m`;
  return `${Math.round(seconds / 360) / 10}h`;
}

export function answerPreview(button: 'again' | 'hard' | 'good' | 'easy', days: number, reading = false): string {
  // A reading card is not shown again the same day.
  if (reading) return formatInterval(days);
  return button === 'again' || button === 'hard' ? `today · ${formatInterval(days)}` : formatInterval(days);
}

/** The spoken form of `answerPreview`. */
export function describeAnswerPreview(button: 'again' | 'hard' | 'good' | 'easy', days: number, reading = false): string {
  if (reading) return `read it again ${describeInterval(days)}`;
  return button === 'again' || button === 'hard'
    ? `again later today, then ${describeInterval(days)}`
    : describeInterval(days);
}

/** Time spent: "42 s", "12 min", "1 h 5 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0 min';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** A rate 0–1 as a percentage with one decimal, or an en dash without data. */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/**
 * A count with thousands separated by commas ("12,345"), as English writes
 * it. Written out rather than through `toLocaleString`, whose first call
 * loads the browser's locale data (about 20 ms, on the card browser's path
 * to its first rows).
 */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return String(count);
  const [whole, fraction] = String(Math.abs(count)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${count < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** "1 card", "2 cards". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** A stored UTC time (RFC 3339) as the learner's local date and time; the text itself when it is not one. */
export function localDateTime(text: string): string {
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The file name of a path, for tables where the full path is too long. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * An `obsidian://` link that opens a note (Obsidian finds the vault), at
 * `heading` when given: Obsidian reads `path#Heading`, encoded, as a
 * heading inside the note. Characters Obsidian does not allow in heading
 * links (`# | ^ [ ]`) are left out of the heading.
 */
export function obsidianHref(notePath: string, heading?: string | null): string {
  const anchor = heading ? `#${heading.replace(/[[\]]/g, '').replace(/[#|^]/g, ' ').replace(/\s+/g, ' ').trim()}` : '';
  return `obsidian://open?path=${encodeURIComponent(notePath + (anchor === '#' ? '' : anchor))}`;
}

/**
 * The heading of the section a card comes from: the last of its heading
 * path, except for cards written inside a section (definitions, basic,
 * reversed and cloze cards), whose path ends with the card's own name.
 */
export function sectionHeading(card: { kind: string; heading_path: string[] }): string | null {
  const written = card.kind !== 'section';
  const path = written ? card.heading_path.slice(0, -1) : card.heading_path;
  return path.at(-1) ?? null;
}

/**
 * What a cloze card shows once answered: its front (breadcrumb included)
 * with the paragraph replaced by the back, where the blank is filled in,
 * so nothing on the card moves. Both are card HTML from notedeck's core.
 */
export function clozeAnswerHtml(frontHtml: string, backHtml: string): string {
  const at = frontHtml.indexOf('<div class="front">');
  return at < 0 ? backHtml : `${frontHtml.slice(0, at)}<div class="front">${backHtml}</div>`;
}

/** A skipped section as one line: "“Scalable Oversight” (line 39): reason". */
export function describeSkipped(item: { heading: string | null; line: number | null; reason: string }): string {
  const where = [item.heading ? `“${item.heading}”` : '', item.line ? `(line ${item.line})` : ''].filter(Boolean).join(' ');
  return where ? `${where}: ${item.reason}` : item.reason;
}
