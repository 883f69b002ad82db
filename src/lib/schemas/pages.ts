import { z } from 'zod';
import { idSchema } from './common';

// A keyset page asked for over the API: after or before a row id (see server/keyset.ts).

export const pageCursorSchema = z.object({ after: idSchema().optional(), before: idSchema().optional() });

/** An optional page cursor, on its own. */
export const pageInput = pageCursorSchema.optional();

/** The cursor a parsed input names: `after` wins if both are sent. */
export function cursorOf(input: { after?: number; before?: number } | undefined) {
	if (input?.after !== undefined) return { after: input.after };
	if (input?.before !== undefined) return { before: input.before };
	return null;
}
