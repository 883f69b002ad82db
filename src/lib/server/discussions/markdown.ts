import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

// Comments are Markdown, rendered by a maintained parser (marked) with raw HTML off, and the
// output cleaned by a maintained sanitiser (sanitize-html) with a short list of tags: nothing a
// comment holds can run a script, load an image or a frame, style the page or track a reader.
// Both steps, so a gap in one is caught by the other.

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const marked = new Marked({
	gfm: true,
	breaks: true,
	async: false,
	renderer: {
		// Raw HTML is shown as the text it is, never passed through.
		html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
		// No images (tracking pixels, data URLs): their words stay.
		image: ({ text }: Tokens.Image) => escapeHtml(text),
		// A comment's headings would break the page's own outline: they read as bold paragraphs.
		heading(this: { parser: { parseInline(tokens: Tokens.Heading['tokens']): string } }, { tokens }: Tokens.Heading) {
			return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`;
		}
	}
});

const SANITISE: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
	allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'escape',
	transformTags: {
		a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow noopener', class: 'govuk-link' } })
	},
	allowedClasses: { a: ['govuk-link'] }
};

/** A comment's Markdown as safe HTML for the page. */
export function renderComment(markdown: string): string {
	const html = marked.parse(markdown, { async: false });
	return sanitizeHtml(html, SANITISE).trim();
}
