import { describe, expect, it } from 'vitest';
import { renderComment } from '../../src/lib/server/discussions/markdown';
import { mentionedNames, namesMatch } from '../../src/lib/server/discussions/mentions';

// Known XSS payloads (OWASP's filter-evasion cheat sheet, PortSwigger's list and Markdown-specific
// ones): each must render inert, with no element, attribute or URL that could run or fetch anything.
const PAYLOADS = [
	'<script>alert(1)</script>',
	'<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>',
	'<img src=x onerror=alert(1)>',
	'<IMG SRC="javascript:alert(\'XSS\');">',
	'<svg/onload=alert(1)>',
	'<iframe src="https://evil.example"></iframe>',
	'<body onload=alert(1)>',
	'<a href="javascript:alert(1)">click</a>',
	'[click](javascript:alert(1))',
	'[click](JaVaScRiPt:alert(1))',
	'[click](  javascript:alert(1))',
	'[click](java&#115;cript:alert(1))',
	'[click](&#x6A;avascript:alert(1))',
	'[click](javascript&colon;alert(1))',
	'[click](vbscript:msgbox(1))',
	'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'![pixel](https://tracker.example/p.gif)',
	'![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
	'![x"onerror="alert(1)](x)',
	'[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
	'<style>body{display:none}</style>',
	'<div style="background:url(javascript:alert(1))">x</div>',
	'<object data="javascript:alert(1)"></object>',
	'<embed src="javascript:alert(1)">',
	'<form action="javascript:alert(1)"><button>go</button></form>',
	'<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
	'<details open ontoggle=alert(1)>',
	'<input autofocus onfocus=alert(1)>',
	'<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
	'<link rel=stylesheet href="https://evil.example/x.css">',
	'[a](//evil.example/x)',
	'<base href="javascript:alert(1)//">',
	'`<script>alert(1)</script>`',
	'```html\n<script>alert(1)</script>\n```',
	'<<script>script>alert(1)<</script>/script>',
	'<scr<script>ipt>alert(1)</script>',
	'[x]: javascript:alert(1)\n\n[link][x]',
	'<https://example.org" onmouseover="alert(1)>',
	'<javascript:alert(1)>',
	'<a href="https://example.org" target=_blank onclick="alert(1)">x</a>',
	'<video><source onerror="alert(1)"></video>',
	'<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
];

/** Every tag the output may hold, and every attribute with what its value may be. */
const SAFE_TAGS = new Set(['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

function assertInert(html: string) {
	for (const [, tag, attrs] of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
		expect(SAFE_TAGS.has(tag.toLowerCase()), `tag <${tag}> in ${html}`).toBe(true);
		for (const [, name, value] of attrs.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) {
			expect(['href', 'rel', 'class', 'start'], `attribute ${name} in ${html}`).toContain(name);
			if (name === 'href') expect(value, html).toMatch(/^(https?:\/\/|mailto:)/);
		}
		// Nothing unquoted after the tag name but quoted attributes.
		expect(attrs.replace(/([\w-]+)\s*=\s*"[^"]*"/g, '').trim(), html).toBe('');
	}
	expect(html).not.toMatch(/<(script|img|iframe|style|svg|object|embed|form|input|meta|link|base|math|video|details|body)\b/i);
}

describe('comment Markdown', () => {
	it('has at least 30 known payloads to prove', () => {
		expect(PAYLOADS.length).toBeGreaterThanOrEqual(30);
	});

	it.each(PAYLOADS)('renders %j inert', (payload) => {
		assertInert(renderComment(payload));
	});

	it('keeps ordinary Markdown: emphasis, lists, code and quotes', () => {
		const html = renderComment('**Bold** and _soft_\n\n- one\n- two\n\n> quoted\n\n`code`');
		expect(html).toContain('<strong>Bold</strong>');
		expect(html).toContain('<em>soft</em>');
		expect(html).toContain('<li>one</li>');
		expect(html).toContain('<blockquote>');
		expect(html).toContain('<code>code</code>');
	});

	it('gives every link rel="nofollow noopener" and keeps http, https and mailto', () => {
		expect(renderComment('[site](https://example.org/a?b=1)')).toBe('<p><a href="https://example.org/a?b=1" rel="nofollow noopener" class="govuk-link">site</a></p>');
		expect(renderComment('see https://example.org')).toContain('rel="nofollow noopener"');
		expect(renderComment('[mail](mailto:a@example.org)')).toContain('href="mailto:a@example.org"');
	});

	it('drops a dangerous link’s address and keeps its words', () => {
		const html = renderComment('[click me](javascript:alert(1))');
		expect(html).toContain('click me');
		expect(html).not.toContain('javascript');
	});

	it('shows raw HTML as the text it is', () => {
		expect(renderComment('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>');
	});

	it('reads an image as its words, never loading it', () => {
		expect(renderComment('![a chart](https://example.org/c.png)')).toBe('<p>a chart</p>');
	});

	it('turns headings into bold paragraphs so the page outline stays whole', () => {
		expect(renderComment('# Big')).toBe('<p><strong>Big</strong></p>');
	});
});

describe('mentions', () => {
	it('reads bracketed full names, once each, in order', () => {
		expect(mentionedNames('Thanks @[Priya Shah] and @[Tom O’Neill], and @[priya  shah] again')).toEqual(['Priya Shah', 'Tom O’Neill']);
	});

	it('at the start of a line and after punctuation', () => {
		expect(mentionedNames('@[Ann Lee]: look (@[Bo Ng])')).toEqual(['Ann Lee', 'Bo Ng']);
	});

	it('never reads an email address, a lone @ or an unbracketed name as a mention', () => {
		expect(mentionedNames('mail ann@[example].org or @ or @Priya Shah')).toEqual([]);
	});

	it('ignores mentions in code', () => {
		expect(mentionedNames('`@[Ann Lee]`\n\n```\n@[Bo Ng]\n```\n')).toEqual([]);
	});

	it('refuses an over-long or multi-line name', () => {
		expect(mentionedNames(`@[${'a'.repeat(121)}]`)).toEqual([]);
		expect(mentionedNames('@[Ann\nLee]')).toEqual([]);
	});

	it('matches names whatever the letter case and spacing', () => {
		expect(namesMatch(['priya shah'], ' Priya  Shah ')).toBe(true);
		expect(namesMatch(['Priya Shah'], 'Priya Shaw')).toBe(false);
	});
});
