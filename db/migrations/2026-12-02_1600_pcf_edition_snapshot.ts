import { sql, type Kysely } from 'kysely';

// A published "you said, we did" edition is frozen: what it showed of each point (the words, the
// themes, the answer, delivery as it stood) is copied into the edition when the second approval
// publishes it, and its pages read that copy, so a point delivered, withdrawn or re-themed later
// changes today's public page but never an edition already sent to families. Editions published
// before this migration get the copy their points give now (the closest there is to what they
// showed). Frozen once landed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, so they do not see today's table types
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_edition').addColumn('points_snapshot', 'jsonb').execute();
	await sql`
		update pcf_edition e set points_snapshot = coalesce((
			select jsonb_agg(jsonb_build_object(
				'id', p.id, 'district', d.name, 'proposal', coalesce(b.title, k.title, ''), 'source', p.source, 'body', p.body,
				'raisedCount', p.raised_count, 'answer', p.answer, 'answerText', p.answer_text, 'changeBy', p.change_by,
				'deliveredOn', p.delivered_on, 'evidence', p.delivery_evidence,
				'themes', coalesce((
					select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) order by t.name)
					from pcf_point_theme pt join pcf_theme t on t.id = pt.theme_id
					where pt.point_id = p.id
				), '[]'::jsonb)
			) order by p.public_at, p.id)
			from pcf_point p
			join cluster d on d.id = p.district_id
			left join bid b on b.id = p.bid_id
			left join pcf_consultation k on k.id = p.consultation_id
			where p.public_at is not null and p.withdrawn_at is null
				and (p.public_at at time zone 'Europe/London')::date between e.period_from and e.period_to
				and (e.district_id is null or p.district_id = e.district_id)
		), '[]'::jsonb)
		where e.published_at is not null`.execute(db);
	await db.schema
		.alterTable('pcf_edition')
		.addCheckConstraint('pcf_edition_snapshot', sql`(published_at is null) = (points_snapshot is null) and (points_snapshot is null or jsonb_typeof(points_snapshot) = 'array')`)
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('pcf_edition').dropConstraint('pcf_edition_snapshot').execute();
	await db.schema.alterTable('pcf_edition').dropColumn('points_snapshot').execute();
}
