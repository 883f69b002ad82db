// The hostile values the hostile-input test sends, and the pure helpers it builds requests with:
// a well-formed sample input from a zod schema, every place in it a value can go, and a copy with one
// value put there. Nothing here talks to the app.

/** Values nothing may accept: each must be refused wherever it is sent. */
export const REFUSED: unknown[] = [
	2 ** 31,
	2 ** 63,
	-1,
	1.5,
	'a\u0000b',
	'\u0000',
	'x'.repeat(100_000),
	'lone \uD800 surrogate',
	[],
	[1, 2],
	{},
	{ __proto__: null, toString: 1 }
];
/** Odd but storable values: they may be accepted, but never answer 5xx. */
export const ODD: unknown[] = [
	'abc',
	'',
	' ',
	'__proto__',
	'constructor',
	'toString',
	'hasOwnProperty',
	null,
	true,
	0,
	'1e3',
	'\u202Eevil\u202C',
	'e\u0301\uFEFF\u200B',
	'😀𝟏',
	'../../etc/passwd',
	"'; drop table bid; --"
];
export const HOSTILE = [...REFUSED, ...ODD];

/** Route parameters and query values as they appear in an address. */
export const HOSTILE_TEXT = [
	'abc',
	'',
	'0',
	'-1',
	'1.5',
	'1e3',
	' 1',
	'01',
	'2147483648',
	'9223372036854775808',
	'99999999999',
	'%00',
	'a%00b',
	'__proto__',
	'constructor',
	'toString',
	'hasOwnProperty',
	'%E2%80%AE',
	'%F0%9F%98%80',
	'%ED%A0%80',
	'x'.repeat(5000)
];

/** A row id that is within int4 but names nothing, so a well-formed command is refused, never done. */
export const ABSENT_ID = 2_000_000_000;

export const describeValue = (value: unknown) => {
	const text = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value) : JSON.stringify(value);
	return text ?? String(value);
};

/** Runs `jobs` a few at a time (the machine is shared; the point is coverage, not load). */
export async function inParallel<T>(jobs: T[], run: (job: T) => Promise<void>, width = 6) {
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < jobs.length) await run(jobs[next++]);
		})
	);
}

// ——— tRPC: a well-formed sample input built from each procedure's zod schema ———

export type Def = { type: string; [key: string]: unknown };
export const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** A well-formed input: ids that name nothing (so no command can succeed), text and dates that pass. */
export function sample(schema: unknown, key = ''): unknown {
	const def = defOf(schema);
	switch (def.type) {
		case 'object':
			return Object.fromEntries(Object.entries(def.shape as Record<string, unknown>).map(([k, child]) => [k, sample(child, k)]));
		case 'string':
			if (/email/i.test(key)) return 'probe@portal.example';
			if (/On$/.test(key)) return '2027-03-31';
			return 'A well-formed probe';
		case 'number':
			if (/Id$|^id$|[vV]ersion|submissionNo|^before$/.test(key)) return ABSENT_ID;
			if (/Pence$/.test(key)) return 100;
			return 1;
		case 'boolean':
			return true;
		case 'enum':
			return Object.values(def.entries as Record<string, string>)[0];
		case 'literal':
			return (def.values as unknown[])[0];
		case 'union':
			return sample((def.options as unknown[])[0], key);
		case 'optional':
		case 'nullable':
		case 'default':
			return sample(def.innerType, key);
		case 'pipe':
			return sample(defOf(def.in).type === 'transform' ? def.out : def.in, key);
		case 'array':
			return [sample(def.element, key)];
		default:
			return 'A well-formed probe';
	}
}

/** Every place in a sample a value can go: each leaf, each container, and the whole input. */
export function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
	const found = [at];
	if (Array.isArray(value)) value.forEach((item, i) => found.push(...paths(item, [...at, i])));
	else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) found.push(...paths(v, [...at, k]));
	return found;
}

export function withValue(base: unknown, at: (string | number)[], value: unknown): unknown {
	if (at.length === 0) return value;
	const copy = structuredClone(base) as Record<string | number, unknown>;
	let node = copy;
	for (const step of at.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
	node[at.at(-1)!] = value;
	return copy;
}

export function decodeURIComponentSafe(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}
