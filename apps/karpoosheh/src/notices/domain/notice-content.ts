import sanitizeHtml from 'sanitize-html';
import { invalid } from '../../shared/domain/karpoosheh.errors.js';

export type BodyFormat = 'text' | 'html';

export interface NoticeContentInput {
  subject: string;
  body: string;
  bodyFormat: BodyFormat;
  category: string;
  dueDate?: string | null;
}

export interface NoticeContent {
  subject: string;
  /** Plain text as given, or HTML reduced to the allow-list below. */
  body: string;
  bodyFormat: BodyFormat;
  category: string;
  dueDate: string | null;
}

/**
 * Tags an official notice may use. No scripts, styles, images, iframes or forms; links keep
 * only http(s)/mailto and open with rel=noopener. Everything else is dropped, its text kept.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'div'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], '*': ['dir', 'lang'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
};

export function sanitizeNoticeHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

const CATEGORY = /^[a-z][a-z0-9-]{1,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks and normalises a notice's content; HTML is sanitised, never stored as sent. */
export function noticeContent(input: NoticeContentInput): NoticeContent {
  const problems: { field: string; message: string }[] = [];
  const subject = input.subject.trim();
  if (subject.length === 0 || subject.length > 300) problems.push({ field: 'subject', message: 'must be 1-300 characters' });
  if (!CATEGORY.test(input.category)) problems.push({ field: 'category', message: 'must be a lowercase slug (a-z, 0-9, -), 2-40 characters' });
  let dueDate: string | null = null;
  if (input.dueDate) {
    const parsed = DATE.test(input.dueDate) ? new Date(`${input.dueDate}T00:00:00Z`) : null;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== input.dueDate) {
      problems.push({ field: 'dueDate', message: 'must be a calendar date YYYY-MM-DD' });
    } else dueDate = input.dueDate;
  }
  const body = input.bodyFormat === 'html' ? sanitizeNoticeHtml(input.body) : input.body;
  if (body.trim().length === 0) problems.push({ field: 'body', message: input.bodyFormat === 'html' ? 'nothing is left after sanitising the HTML' : 'must not be empty' });
  if (problems.length > 0) throw invalid('KARPOOSHEH.NOTICE_INVALID', 'The notice is not valid; nothing was sent.', problems);
  return { subject, body, bodyFormat: input.bodyFormat, category: input.category, dueDate };
}
