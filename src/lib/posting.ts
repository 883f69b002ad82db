// While a form's post is on its way, its buttons are disabled and a second submit is ignored, so
// a double click sends one post (the server's one-time form token covers the rest, and pages
// without JavaScript). One listener for the whole document, set up by the root layout.

const BUSY = 'posting';
const DISABLED_HERE = 'postingDisabled';

function isPost(target: EventTarget | null): target is HTMLFormElement {
	return target instanceof HTMLFormElement && target.method.toLowerCase() === 'post';
}

/** Starts guarding every form in the document; returns the function that stops it. */
export function guardDoubleSubmits(root: Document): () => void {
	const onSubmit = (event: SubmitEvent) => {
		const form = event.target;
		if (!isPost(form)) return;
		if (form.dataset[BUSY]) {
			// Captured before use:enhance's own listener, so the repeat never reaches it.
			event.preventDefault();
			event.stopImmediatePropagation();
			return;
		}
		form.dataset[BUSY] = 'true';
		form.setAttribute('aria-busy', 'true');
		// Disabled only after this event: by then the browser (or use:enhance) has read the fields,
		// including which button was pressed, which a disabled button would leave out.
		setTimeout(() => {
			for (const button of form.querySelectorAll('button')) {
				if (button.disabled) continue;
				button.disabled = true;
				button.dataset[DISABLED_HERE] = 'true';
			}
		});
		// A post that never answers should not leave the form dead.
		setTimeout(() => release(form), 20_000);
	};
	const onPageShow = (event: PageTransitionEvent) => {
		// Back to a page kept in the browser's cache: its forms are usable again.
		if (event.persisted) releaseAll(root);
	};
	root.addEventListener('submit', onSubmit, true);
	root.defaultView?.addEventListener('pageshow', onPageShow);
	return () => {
		root.removeEventListener('submit', onSubmit, true);
		root.defaultView?.removeEventListener('pageshow', onPageShow);
	};
}

function release(form: HTMLFormElement): void {
	delete form.dataset[BUSY];
	form.removeAttribute('aria-busy');
	for (const button of form.querySelectorAll<HTMLButtonElement>('button[data-posting-disabled]')) {
		button.disabled = false;
		delete button.dataset[DISABLED_HERE];
	}
}

/** The answer has arrived (the page's data or form result changed, or it navigated): forms work again. */
export function releaseAll(root: Document): void {
	for (const form of root.querySelectorAll<HTMLFormElement>('form[data-posting]')) release(form);
}
