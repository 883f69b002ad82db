import PDFDocument from 'pdfkit';
import { formatPence } from '$lib/format';
import { financialYearLabel } from '$lib/capital/model';
import { SUBSIDY_DECLARATION } from '$lib/capital/grant/model';

// The grant letter as a PDF, made from the offer as stored (the same offer always makes the same
// words; the letter version is printed on it, and the acceptance names the version it accepted).

export interface LetterFacts {
	reference: string;
	title: string;
	settingName: string;
	lineName: string;
	letterVersion: number;
	amountPence: number;
	year: number;
	sourceName: string;
	conditions: string;
	offeredOn: string;
	offeredBy: string;
	places: number | null;
	accepted: { by: string; on: string; as: string } | null;
}

export function grantLetterPdf(facts: LetterFacts): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Grant letter ${facts.reference} (version ${facts.letterVersion})`, Author: 'Oxfordshire County Council' } });
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		doc.fontSize(18).text('Oxfordshire County Council', { continued: false });
		doc.fontSize(14).text(`Early years support base grant: ${facts.reference}`).moveDown();
		doc.fontSize(11);
		doc.text(`Letter version ${facts.letterVersion}, issued ${facts.offeredOn} by ${facts.offeredBy}`).moveDown();
		doc.text(`To: ${facts.settingName}`);
		doc.text(`Project: ${facts.title}`).moveDown();
		doc.text(
			`The council offers ${facts.settingName} a grant of ${formatPence(facts.amountPence)} from ${facts.sourceName} (${financialYearLabel(facts.year)}) under the ${facts.lineName} line` +
				(facts.places !== null ? `, for a base of ${facts.places} places.` : '.')
		).moveDown();
		doc.fontSize(13).text('Conditions').fontSize(11);
		facts.conditions
			.split('\n')
			.map((line) => line.trim())
			.filter(Boolean)
			.forEach((line, i) => doc.text(`${i + 1}. ${line}`));
		doc.moveDown().fontSize(13).text('Subsidy-control declaration').fontSize(11);
		doc.text(`The setting’s signatory must make this declaration when accepting: ${SUBSIDY_DECLARATION}`).moveDown();
		doc.fontSize(13).text('Acceptance').fontSize(11);
		doc.text(facts.accepted ? `Accepted by ${facts.accepted.by} (${facts.accepted.as}) on ${facts.accepted.on}, with the declaration.` : 'Not yet accepted. Accept in the portal, on the application’s grant page.');
		doc.end();
	});
}
