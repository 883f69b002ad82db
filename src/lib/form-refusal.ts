// What a form action answers when it refuses (see `$lib/server/forms.ts`), in one shape for every
// page: the page shows `errors` beside the fields of the form named `form` and in the error summary.

export interface FormRefusal {
	/** Which form on the page refused. */
	form: string;
	/** For the error summary when the refusal is not about one visible field (a conflict, a rule). */
	message: string;
	/** Messages keyed by the id of the input they are about. */
	errors: Record<string, string[]>;
	/** What was posted, as typed, so nothing typed is lost. */
	values: Record<string, string>;
	/** Someone else changed it first: the page reloads the current state. */
	conflict: boolean;
}

/** Whether an action's answer is a refusal (a type guard: a page's `form` is loosely typed). */
function isRefusal(answer: unknown): answer is FormRefusal {
	return typeof answer === 'object' && answer !== null && 'form' in answer && typeof answer.form === 'string' && 'errors' in answer && 'values' in answer;
}

/** The action's answer, if it is a refusal (of whichever form on the page). */
export const refusalIn = (answer: unknown): FormRefusal | null => (isRefusal(answer) ? answer : null);

/** This form's refusal, if the action's answer is one for it. */
export function refusalFor(answer: unknown, form: string): FormRefusal | null {
	return isRefusal(answer) && answer.form === form ? answer : null;
}

/** The field errors of the action's answer, keyed by input id, or none when it is not a refusal. */
export const errorsIn = (answer: unknown): Record<string, string[] | undefined> => refusalIn(answer)?.errors ?? {};
