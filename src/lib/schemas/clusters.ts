import { z } from 'zod';
import { CLUSTER_NAME_MAX_LENGTH, REASON_MAX_LENGTH } from './limits';
import { idSchema, textSchema, versionSchema } from './common';

// County set-up: the council's plan leaves locality clusters "TBA", so officers shape them here.
// Shared by the form actions and the tRPC router, so both refuse the same input with the same words.

export const CLUSTER_NAME_MIN_LENGTH = 2;

const id = (message: string) => idSchema(message);

// A version is never typed by a person: a bad one means the page itself is out of date.
const version = versionSchema('This page is out of date. Reload it and try again.', 1);

const clusterName = textSchema('Enter a name for the locality cluster')
	.trim()
	// "Bicester  North" and "Bicester North" are the same name to a person.
	.overwrite((name) => name.replace(/\s+/g, ' '))
	.min(1, 'Enter a name for the locality cluster')
	.min(CLUSTER_NAME_MIN_LENGTH, `Name must be at least ${CLUSTER_NAME_MIN_LENGTH} characters`)
	.max(CLUSTER_NAME_MAX_LENGTH, `Name must be ${CLUSTER_NAME_MAX_LENGTH} characters or fewer`);

const reason = (prompt: string) =>
	textSchema(prompt)
		.trim()
		.min(1, prompt)
		.max(REASON_MAX_LENGTH, `Reason must be ${REASON_MAX_LENGTH} characters or fewer`);

export const createLocalitySchema = z.object({
	districtId: id('Choose the district the locality cluster belongs to'),
	name: clusterName,
	reason: textSchema()
		.trim()
		.max(REASON_MAX_LENGTH, `Reason must be ${REASON_MAX_LENGTH} characters or fewer`)
		.optional()
});

export const renameClusterSchema = z.object({
	clusterId: id('Choose the cluster to rename'),
	name: clusterName,
	version,
	reason: reason('Enter why you are renaming the cluster')
});

export const mergeLocalitiesSchema = z
	.object({
		sourceId: id('Choose the locality cluster to merge'),
		targetId: id('Choose the locality cluster to merge into'),
		sourceVersion: version,
		targetVersion: version,
		reason: reason('Enter why you are merging the locality clusters')
	})
	.refine((merge) => merge.sourceId !== merge.targetId, {
		path: ['targetId'],
		message: 'Choose a different locality cluster: one cannot be merged into itself'
	});

/** Whether the cluster's lead may open and manage pooled-funding rounds (an officer decides). */
export const leadRoundsSchema = z.object({
	clusterId: id('Choose the cluster'),
	allowed: z.boolean({ error: 'Choose whether the cluster lead may run funding rounds' }),
	version,
	reason: reason('Enter why you are changing who may run funding rounds')
});

export const retireLocalitySchema = z.object({
	clusterId: id('Choose the locality cluster to retire'),
	version,
	reason: reason('Enter why you are retiring the locality cluster')
});

export const moveSettingSchema = z.object({
	settingId: id('Choose the setting to move'),
	toClusterId: id('Choose the locality cluster to move the setting to'),
	version,
	reason: reason('Enter why you are moving the setting')
});

export type CreateLocalityInput = z.input<typeof createLocalitySchema>;
export type RenameClusterInput = z.input<typeof renameClusterSchema>;
export type MergeLocalitiesInput = z.input<typeof mergeLocalitiesSchema>;
export type RetireLocalityInput = z.input<typeof retireLocalitySchema>;
export type LeadRoundsInput = z.input<typeof leadRoundsSchema>;
export type MoveSettingInput = z.input<typeof moveSettingSchema>;

export const clusterIdSchema = z.object({ clusterId: id('Choose a cluster') });
