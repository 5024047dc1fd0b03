import { describe, expect, it } from '@jest/globals';
import { noticeContent, sanitizeNoticeHtml } from './notice-content.js';

describe('notice content', () => {
  it('strips scripts, event handlers and javascript: links from HTML bodies', () => {
    const html = '<p dir="rtl" onclick="x()">سلام <script>alert(1)</script><a href="javascript:alert(1)">x</a><a href="https://my.gov.ir">y</a><img src=x onerror=alert(1)></p>';
    const clean = sanitizeNoticeHtml(html);
    expect(clean).not.toMatch(/script|onclick|onerror|javascript:|<img/);
    expect(clean).toContain('dir="rtl"');
    expect(clean).toContain('href="https://my.gov.ir"');
    expect(clean).toContain('rel="noopener noreferrer"');
  });

  it('keeps plain text bodies as sent', () => {
    expect(noticeContent({ subject: ' ابلاغ ', body: '<b>not html</b>', bodyFormat: 'text', category: 'tax' })).toEqual({
      subject: 'ابلاغ',
      body: '<b>not html</b>',
      bodyFormat: 'text',
      category: 'tax',
      dueDate: null,
    });
  });

  it('refuses an HTML body that is empty once sanitised, a bad category and an impossible date', () => {
    expect(() => noticeContent({ subject: 's', body: '<script>x</script>', bodyFormat: 'html', category: 'Tax!', dueDate: '2026-02-30' })).toThrow(
      expect.objectContaining({ code: 'KARPOOSHEH.NOTICE_INVALID', errors: [expect.objectContaining({ field: 'category' }), expect.objectContaining({ field: 'dueDate' }), expect.objectContaining({ field: 'body' })] }),
    );
  });
});
