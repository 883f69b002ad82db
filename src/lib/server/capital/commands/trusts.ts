import type { Database } from '../../db';
import type { Actor } from '../../auth/actor';
import { assertCan } from '../../policy';
import { parseInput } from '../../input';
import { transact } from '../../work';
import { codesOf, conflict, notFound } from '../../errors';
import { createTrustSchema, linkAcademySchema, unlinkAcademySchema } from '$lib/schemas/capital';
import { refuse, requireVersion, type Trx } from './shared';

// Academy trusts, set up by council officers: a trust (unique name, optional Companies House
// number) and the academies in it (`setting.trust_id`). Linking and unlinking lock the trusts the
// change touches, then the academy, and check the trust's version the officer saw; each change is
// recorded once, naming every trust it touched (`trustIds`), so each trust's history shows it.

const SUBJECT = 'academy_trust';

/** Trusts locked in id order (the order every trust change takes, so two changes queue rather than deadlock). */
async function lockTrusts(trx: Trx, ids: number[]) {
	const rows = await trx
		.selectFrom('academy_trust')
		.select(['id', 'name', 'version'])
		.where('id', 'in', [...new Set(ids)])
		.orderBy('id')
		.forUpdate()
		.execute();
	return new Map(rows.map((row) => [row.id, row]));
}

/** The trust the officer changes, locked with the academy's current trust, its version checked, and the academy locked. */
async function lockForChange(trx: Trx, fields: { trustId: number; version: number; settingId: number }) {
	const seen = await trx.selectFrom('setting').select('trust_id').where('id', '=', fields.settingId).executeTakeFirst();
	if (!seen) refuse('That academy could not be found. Search for it again.', 'settingId');
	const trusts = await lockTrusts(trx, seen.trust_id === null ? [fields.trustId] : [fields.trustId, seen.trust_id]);
	const trust = trusts.get(fields.trustId);
	if (!trust) throw notFound('That trust');
	await requireVersion(trx, { type: SUBJECT, id: trust.id, noun: 'trust' }, trust, fields.version, [await academyWords(trx, trust.id)]);
	const setting = await trx
		.selectFrom('setting as s')
		.leftJoin('setting_type as t', 't.setting_type', 's.setting_type')
		.select(['s.id', 's.name', 's.trust_id', 't.governance', 't.label'])
		.where('s.id', '=', fields.settingId)
		.forUpdate('s')
		.executeTakeFirstOrThrow();
	// Between the first read and the lock, another change moved the academy: its trust is not locked here.
	if (setting.trust_id !== seen.trust_id) throw conflict(`${setting.name} was moved between trusts while you were choosing it. Reload the page and try again.`);
	return { trust, setting, from: setting.trust_id === null ? null : (trusts.get(setting.trust_id) ?? null) };
}

/** A trust's academies in words, for a conflict message ("Saved now: …"). */
async function academyWords(trx: Trx, trustId: number): Promise<string> {
	const rows = await trx.selectFrom('setting').select('name').where('trust_id', '=', trustId).orderBy('name').limit(20).execute();
	return `academies ${rows.map((row) => row.name).join(', ') || 'none'}`;
}

/** Bumps the versions of the trusts a change touched. */
async function bumpTrusts(trx: Trx, ids: number[]): Promise<Map<number, number>> {
	const rows = await trx
		.updateTable('academy_trust')
		.set((eb) => ({ version: eb('version', '+', 1) }))
		.where('id', 'in', ids)
		.returning(['id', 'version'])
		.execute();
	return new Map(rows.map((row) => [row.id, row.version]));
}

export async function createTrust(db: Database, actor: Actor | null, raw: unknown): Promise<{ id: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(createTrustSchema, raw);
	return transact(db, actor.id, async (work) => {
		let created: { id: number };
		try {
			created = await work.trx.insertInto('academy_trust').values({ name: fields.name, company_number: fields.companyNumber }).returning('id').executeTakeFirstOrThrow();
		} catch (caught) {
			// The unique indexes are the guard (they hold under concurrency), said beside the field.
			const { code, constraint } = codesOf(caught);
			if (code === '23505' && constraint?.includes('company_number')) refuse(`Another trust already has the Companies House number ${fields.companyNumber}`, 'companyNumber');
			if (code === '23505') refuse(`There is already a trust called ${fields.name}`, 'name');
			throw caught;
		}
		await work.record({
			action: 'capital.trust_added',
			subject: { type: SUBJECT, id: created.id },
			summary: `Added the academy trust ${fields.name}${fields.companyNumber ? ` (Companies House number ${fields.companyNumber})` : ''}`,
			reason: fields.reason || null,
			detail: { trustIds: [created.id], version: 1 }
		});
		return created;
	});
}

export async function linkAcademy(db: Database, actor: Actor | null, raw: unknown): Promise<{ trustId: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(linkAcademySchema, raw);
	return transact(db, actor.id, async (work) => {
		const { trust, setting, from } = await lockForChange(work.trx, fields);
		if (setting.governance !== 'academy') {
			refuse(`${setting.name} is ${setting.label ? `a ${setting.label.toLowerCase()}` : 'not an academy'}. Only academies and free schools can be in an academy trust.`, 'settingId');
		}
		if (setting.trust_id === trust.id) refuse(`${setting.name} is already in ${trust.name}.`, 'settingId');
		if (from && !fields.reason) {
			refuse(`${setting.name} is in ${from.name}. To move it to ${trust.name}, say why in the reason box.`, 'reason');
		}
		await work.trx
			.updateTable('setting')
			.set((eb) => ({ trust_id: trust.id, version: eb('version', '+', 1) }))
			.where('id', '=', setting.id)
			.execute();
		const touched = from ? [trust.id, from.id] : [trust.id];
		const versions = await bumpTrusts(work.trx, touched);
		await work.record({
			action: from ? 'capital.trust_academy_moved' : 'capital.trust_academy_linked',
			subject: { type: SUBJECT, id: trust.id },
			summary: from ? `Moved ${setting.name} from ${from.name} to ${trust.name}` : `Linked ${setting.name} to ${trust.name}`,
			reason: fields.reason || null,
			detail: { trustIds: touched, settingId: setting.id, version: versions.get(trust.id) }
		});
		return { trustId: trust.id, version: versions.get(trust.id) ?? trust.version + 1 };
	});
}

export async function unlinkAcademy(db: Database, actor: Actor | null, raw: unknown): Promise<{ trustId: number; version: number }> {
	assertCan(actor, { action: 'capital.manage' });
	const fields = parseInput(unlinkAcademySchema, raw);
	return transact(db, actor.id, async (work) => {
		const { trust, setting } = await lockForChange(work.trx, fields);
		if (setting.trust_id !== trust.id) refuse(`${setting.name} is not in ${trust.name}.`, 'settingId');
		await work.trx
			.updateTable('setting')
			.set((eb) => ({ trust_id: null, version: eb('version', '+', 1) }))
			.where('id', '=', setting.id)
			.execute();
		const versions = await bumpTrusts(work.trx, [trust.id]);
		await work.record({
			action: 'capital.trust_academy_unlinked',
			subject: { type: SUBJECT, id: trust.id },
			summary: `Unlinked ${setting.name} from ${trust.name}`,
			reason: fields.reason,
			detail: { trustIds: [trust.id], settingId: setting.id, version: versions.get(trust.id) }
		});
		return { trustId: trust.id, version: versions.get(trust.id) ?? trust.version + 1 };
	});
}
