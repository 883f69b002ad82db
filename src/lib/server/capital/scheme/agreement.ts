import PDFDocument from 'pdfkit';
import { formatPence } from '$lib/format';
import { STATUTORY_STEP_LABELS, STEP_STATUS_LABELS, type StatutoryRecord } from '$lib/capital/scheme/model';

// The funding agreement as a PDF, made from the agreement as issued and the signatures recorded
// (the same agreement always makes the same words; its version is printed on it). The grant
// letter's library and layout.

export interface AgreementFacts {
	reference: string;
	title: string;
	settingNames: string[];
	lineName: string;
	agreementVersion: number;
	amountPence: number;
	places: number;
	clawbackYears: number;
	conditions: string;
	statutory: readonly StatutoryRecord[];
	issuedOn: string;
	issuedBy: string;
	/** When a later version replaced it (null while it is in force). */
	supersededOn: string | null;
	/** Every signature the settings' types ask for, with who gave it. */
	signatures: readonly { words: string; signed: string | null }[];
}

export function agreementPdf(facts: AgreementFacts): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Funding agreement ${facts.reference} (version ${facts.agreementVersion}${facts.supersededOn ? ', superseded' : ''})`, Author: 'Oxfordshire County Council' } });
		const chunks: Buffer[] = [];
		doc.on('data', (chunk: Buffer) => chunks.push(chunk));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		const heading = (words: string) => doc.moveDown().fontSize(13).text(words).fontSize(11);
		doc.fontSize(18).text('Oxfordshire County Council');
		doc.fontSize(14).text(`Capital funding agreement: ${facts.reference}`).moveDown();
		doc.fontSize(11);
		doc.text(`Agreement version ${facts.agreementVersion}, issued ${facts.issuedOn} by ${facts.issuedBy}`);
		if (facts.supersededOn) doc.text(`Superseded on ${facts.supersededOn} by a later version. Kept for the record: it is not in force.`);
		doc.moveDown();
		doc.text(`Between: Oxfordshire County Council and ${facts.settingNames.join(', ')}`);
		doc.text(`Scheme: ${facts.title} (${facts.lineName})`).moveDown();
		doc.text(`The council will fund the scheme up to ${formatPence(facts.amountPence)} of capital, to provide ${facts.places} commissioned places for children and young people with an education, health and care plan.`);
		heading('Conditional on statutory approval');
		if (facts.statutory.length) {
			doc.text('This agreement is conditional on the statutory approvals below remaining in force. If any is withdrawn or quashed, the council may suspend payment.');
			facts.statutory.forEach((s) => doc.text(`• ${STATUTORY_STEP_LABELS[s.step]}: ${STEP_STATUS_LABELS[s.status].toLowerCase()} on ${s.on}`));
		} else {
			doc.text('No statutory steps apply to this scheme. It remains conditional on any consent the works later need.');
		}
		heading('Clawback');
		doc.text(
			`If the base closes, or its use changes from the commissioned places, within ${facts.clawbackYears} years of opening, the setting repays the capital to the council in proportion to the part of the period remaining, unless the council agrees otherwise in writing.`
		);
		heading('Conditions');
		facts.conditions
			.split('\n')
			.map((line) => line.trim())
			.filter(Boolean)
			.forEach((line, i) => doc.text(`${i + 1}. ${line}`));
		heading('Signatures');
		facts.signatures.forEach((s) => doc.text(`${s.words}: ${s.signed ?? 'not yet signed'}`));
		doc.end();
	});
}
