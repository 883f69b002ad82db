/** The id of a section's entry in the check page's list of what is missing (`submission` for the submission's own). */
export const missingId = (section: string) => `missing-${section}`;
