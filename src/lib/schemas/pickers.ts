import { z } from 'zod';
import { NAME_MAX_LENGTH } from './limits';
import { idSchema, textSchema } from './common';

// The setting and cluster pickers' searches (a search box instead of a dropdown of thousands).

const query = textSchema()
	.trim()
	.max(NAME_MAX_LENGTH, `Search must be ${NAME_MAX_LENGTH} characters or fewer`)
	.default('');

/**
 * Settings by name, town or URN: any the officer may give a role at, or, with `bidId`, those that
 * may join that bid; `for: 'trust'`, any an officer may link to an academy trust.
 */
export const settingSearchSchema = z.object({ query, bidId: idSchema().optional(), for: z.enum(['role', 'trust']).default('role') });
export type SettingSearch = z.input<typeof settingSearchSchema>;

/**
 * Active clusters by name: any, for a cluster role; `for: 'moveSetting'`, locality clusters only,
 * the places county set-up may move a setting to; `for: 'createLocality'`, district clusters only,
 * the places county set-up may create a locality in; `for: 'district'`, district clusters only,
 * to filter a report by (the tracker, the dashboard, the register, the disputes figures).
 */
export const CLUSTER_PICKS = ['role', 'moveSetting', 'createLocality', 'district'] as const;
export type ClusterPick = (typeof CLUSTER_PICKS)[number];
export const clusterSearchSchema = z.object({ query, for: z.enum(CLUSTER_PICKS).default('role') });
export type ClusterSearch = z.input<typeof clusterSearchSchema>;
