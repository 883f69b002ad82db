// What the admin pages' form actions share. Refusals use the one FormRefusal (`$lib/form-refusal.ts`)
// through `formAction`, naming the form so a page with several shows errors beside the right fields.

/** Form fields arrive as text; an empty one is missing, anything else must read as a number (the command's schema says if not). */
export function numberOf(value: string): number | undefined {
	return value.trim() === '' ? undefined : Number(value);
}
