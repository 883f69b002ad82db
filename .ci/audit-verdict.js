// Reads `npm audit --json` output and decides: the dependency audit passed, failed, or could not run
// because the registry does not answer audit requests (some mirrors and proxies refuse them).
// Only "could not reach the audit endpoint" may skip; a report listing advisories always fails.

/** Errors that mean the audit service was not reachable or not offered, never that advisories exist. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'ENOAUDIT']);

/**
 * @param {string} output what `npm audit --json` printed on stdout
 * @param {'high' | 'critical'} level
 * @returns {{ verdict: 'pass' | 'fail' | 'skip', message: string }}
 */
export function auditVerdict(output, level = 'high') {
	/** @type {any} */ // the report's shape is npm's, read defensively below
	let report;
	try {
		report = JSON.parse(output);
	} catch {
		return { verdict: 'fail', message: 'npm audit did not print a report that could be read.' };
	}
	const counts = report?.metadata?.vulnerabilities;
	if (report?.auditReportVersion && counts) {
		const found = (counts.critical ?? 0) + (level === 'high' ? (counts.high ?? 0) : 0);
		return found > 0
			? { verdict: 'fail', message: `npm audit found ${found} ${level} or critical advisories in production dependencies.` }
			: { verdict: 'pass', message: `npm audit: no ${level} or critical advisories in production dependencies.` };
	}
	const status = Number(report?.statusCode ?? 0);
	const code = String(report?.code ?? report?.error?.code ?? '');
	// 404/405/501: the registry does not offer the audit endpoint; 5xx: it is down; network codes: unreachable.
	if (status === 404 || status === 405 || status === 501 || status >= 500 || UNREACHABLE_CODES.has(code)) {
		const reason = status ? `HTTP ${status} from ${report?.uri ?? 'the registry'}` : code;
		return { verdict: 'skip', message: `SKIPPED the dependency audit: the registry's audit endpoint is unreachable (${reason}).` };
	}
	return { verdict: 'fail', message: `npm audit failed: ${report?.message ?? report?.error?.summary ?? 'unknown error'}` };
}

// Run as a script: `npm audit --omit=dev --json | node .ci/audit-verdict.js`
if (import.meta.url === `file://${process.argv[1]}`) {
	let input = '';
	process.stdin.setEncoding('utf8');
	process.stdin.on('data', (chunk) => (input += chunk));
	process.stdin.on('end', () => {
		const { verdict, message } = auditVerdict(input, process.env.AUDIT_LEVEL === 'critical' ? 'critical' : 'high');
		console.log(message);
		process.exit(verdict === 'fail' ? 1 : 0);
	});
}
