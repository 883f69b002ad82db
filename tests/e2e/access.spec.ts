import { io, type Socket } from 'socket.io-client';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';
import type { ClientToServerEvents, JoinReply, ServerToClientEvents } from '../../src/lib/live/events';

/** The workspace address behind a cluster link on the person's home page. */
async function clusterPath(page: Page, name: RegExp): Promise<string> {
	const href = await page.getByRole('main').getByRole('link', { name }).first().getAttribute('href');
	expect(href).toMatch(/^\/clusters\/\d+$/);
	return href!;
}
const roomOf = (path: string) => `cluster:${path.split('/').pop()}`;

/** A socket.io connection from the test process, carrying the browser's session cookie (if any). */
async function connectAs(baseURL: string, page: Page | null): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
	const cookies = page ? await page.context().cookies(baseURL) : [];
	const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
	return io(baseURL, {
		transports: ['websocket'],
		extraHeaders: cookie ? { cookie } : {},
		reconnection: false,
		forceNew: true
	});
}

function join(socket: Socket<ServerToClientEvents, ClientToServerEvents>, room: string): Promise<JoinReply> {
	return socket.timeout(10_000).emitWithAck('join', { room });
}

test.describe('who may open a workspace', () => {
	test('a SENCO from another cluster opening the Banbury workspace gets the refusal page with the reason', async ({ page, openPage }) => {
		// A Banbury headteacher shares the workspace link.
		const colleague = await openPage();
		await signIn(colleague, 'headteacher');
		await expectNoSeriousAxeViolations(colleague);
		const banbury = await clusterPath(colleague, /^Banbury/);

		await signIn(page, 'oxfordSenco');
		await expectNoSeriousAxeViolations(page);
		const response = await page.goto(banbury);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'You do not have access to this' })).toBeVisible();
		await expect(page.getByTestId('refusal-reason')).not.toBeEmpty();
		await expect(page).toHaveTitle(/^You do not have access to this/);
		await expectNoSeriousAxeViolations(page);
	});

	test('an unknown cluster shows "Page not found"', async ({ page }) => {
		await signIn(page, 'oxfordSenco', { next: '/clusters/987654' });
		await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
		await expectNoSeriousAxeViolations(page);
		const response = await page.reload();
		expect(response?.status()).toBe(404);
	});

	test("by socket, a SENCO may join their own locality's room but not Banbury's, and is told why", async ({ page, openPage, baseURL }) => {
		const colleague = await openPage();
		await signIn(colleague, 'headteacher');
		await expectNoSeriousAxeViolations(colleague);
		const banbury = await clusterPath(colleague, /^Banbury/);

		await signIn(page, 'oxfordSenco');
		await expectNoSeriousAxeViolations(page);
		const ownLocality = await clusterPath(page, /^North & Central Oxford$/);

		// The page's own refusal reason, to compare with the socket's.
		await page.goto(banbury);
		const pageReason = (await page.getByTestId('refusal-reason').innerText()).trim();
		await expectNoSeriousAxeViolations(page);

		const socket = await connectAs(baseURL!, page);
		try {
			const refused = await join(socket, roomOf(banbury));
			expect(refused.ok).toBe(false);
			expect(refused.reason).toBe(pageReason);

			const allowed = await join(socket, roomOf(ownLocality));
			expect(allowed).toMatchObject({ ok: true });
			expect(allowed.seq).toEqual(expect.any(Number));
		} finally {
			socket.close();
		}
	});

	test('a socket without a session is refused before it can join anything', async ({ baseURL }) => {
		const socket = await connectAs(baseURL!, null);
		try {
			const error = await new Promise<Error>((resolve, reject) => {
				socket.on('connect_error', resolve);
				socket.on('connect', () => reject(new Error('connected without a session')));
			});
			expect(error.message).toBe('unauthorized');
		} finally {
			socket.close();
		}
	});
});
