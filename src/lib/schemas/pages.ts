import { z } from 'zod';

// A keyset page asked for over the API: the cursor text a previous page answered as `next` or
// `previous`, or nothing for the first page (see server/paging.ts).

export const cursorSchema = z.string().max(2000).optional();

/** A list's input when it takes nothing but its page. */
export const pageInput = z.object({ cursor: cursorSchema }).optional();
