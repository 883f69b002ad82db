import type { PageServerLoad } from './$types';
import { supportEmail } from '$lib/server/support';

// Public: readable without signing in, as the law and GOV.UK expect of this page.
export const load: PageServerLoad = () => ({ supportEmail: supportEmail() });
