// A value kept on the process itself (`globalThis`, under a `Symbol.for` key) rather than in a
// module: Vite reloads modules in dev, and src/node-server.js (plain JavaScript) reads the same
// key, so both must find the one value.

export function globalSlot<T>(name: string) {
	const key = Symbol.for(name);
	// globalThis declares no symbol keys; this is the one place that reads and writes them.
	const store = globalThis as unknown as Record<symbol, T | undefined>;
	return {
		get: (): T | undefined => store[key],
		set: (value: T | undefined): void => {
			store[key] = value;
		}
	};
}
