// Custom study sessions in the address (`#/review?deck=D&study=cram`) and as
// the API's request; the daily queue and its limits stay as they are.

import type { SessionKind, StudyRequest } from './api/types';

/** A custom session's kind: the API's `SessionKind`. */
export type StudyKind = SessionKind;

/** A custom session: its kind, its number (days ahead, extra cards), its cards. */
export interface StudyParams {
  kind: StudyKind;
  count: number | null;
  deck: string | null;
  tag: string | null;
  search: string | null;
}

const KINDS: readonly StudyKind[] = ['ahead', 'cram', 'extra_new', 'failed_today'];

/** The session the review screen's parameters name, or null for the daily queue. */
export function studyFromParams(params: Record<string, string>): StudyParams | null {
  const kind = params.study as StudyKind;
  if (!KINDS.includes(kind)) return null;
  const count = Number.parseInt(params.count ?? '', 10);
  return {
    kind,
    count: Number.isFinite(count) && count > 0 ? count : null,
    deck: params.deck || null,
    tag: params.tag || null,
    search: params.search || null,
  };
}

/** The review screen's parameters for a session. */
export function studyParams(study: StudyParams): Record<string, string | null> {
  return {
    deck: study.deck,
    study: study.kind,
    count: study.kind === 'ahead' || study.kind === 'extra_new' ? String(study.count ?? 1) : null,
    tag: study.tag,
    search: study.search,
  };
}

/** The API's request for a session. */
export function studyRequest(study: StudyParams): StudyRequest {
  const request: StudyRequest = {};
  if (study.deck) request.deck = study.deck;
  if (study.tag) request.tag = study.tag;
  if (study.search) request.search = study.search;
  if (study.kind === 'ahead') request.ahead = study.count ?? 1;
  else if (study.kind === 'extra_new') request.extra_new = study.count ?? 1;
  else if (study.kind === 'cram') request.cram = true;
  else request.failed_today = true;
  return request;
}

/** What the session is, in words: "Cram", "Review ahead 3 days". */
export function describeStudy(study: StudyParams): string {
  switch (study.kind) {
    case 'ahead':
      return `Review ahead ${study.count ?? 1} ${study.count === 1 ? 'day' : 'days'}`;
    case 'cram':
      return 'Cram (schedules unchanged)';
    case 'extra_new':
      return `${study.count ?? 1} extra new ${study.count === 1 ? 'card' : 'cards'}`;
    default:
      return 'Cards failed today';
  }
}
