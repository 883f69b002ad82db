import { expect, expectNoSeriousAxeViolations, signIn, test } from './support';

// Bad input straight at the API, as a script or a broken client would send it: a clear error,
// field by field where it applies, and nothing written.

test.describe('the API refuses bad input', () => {
	test('an oversized request is refused before it is read, and a too-long field is named, with nothing written', async ({ page }) => {
		await signIn(page, 'officer');
		await expectNoSeriousAxeViolations(page);
		const clusters = await page.request.get('/api/trpc/clusters.tree');
		expect(clusters.ok()).toBe(true);
		const tree = (await clusters.json()) as { result: { data: { districts: { localities: { id: number; name: string }[] }[] } } };
		const banbury = tree.result.data.districts.flatMap((district) => district.localities).find((l) => l.name === 'Banbury');
		expect(banbury).toBeTruthy();
		const roundsNow = async () => {
			const response = await page.request.get(`/api/trpc/bids.rounds?input=${encodeURIComponent(JSON.stringify({ clusterId: banbury!.id }))}`);
			expect(response.ok()).toBe(true);
			return ((await response.json()) as { result: { data: unknown[] } }).result.data.length;
		};
		const before = await roundsNow();
		const round = {
			clusterId: banbury!.id,
			name: 'Oversized round',
			potPence: 100_000,
			maxRequestPence: 50_000,
			opensOn: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
			closesOn: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
			guidance: 'x'.repeat(100_000),
			endorsementRule: 'count',
			endorsementValue: 1
		};

		const oversized = await page.request.post('/api/trpc/bids.openRound', { data: round });
		expect(oversized.status()).toBe(413);
		expect(JSON.stringify(await oversized.json())).toMatch(/too large/);

		const tooLong = await page.request.post('/api/trpc/bids.openRound', { data: { ...round, guidance: 'y'.repeat(5_001), name: 'n'.repeat(121) } });
		expect(tooLong.status()).toBe(400);
		const body = (await tooLong.json()) as { error: { data: { fieldErrors?: Record<string, string[]> } } };
		expect(body.error.data.fieldErrors?.guidance?.[0]).toMatch(/5,000 characters or fewer/);
		expect(body.error.data.fieldErrors?.name?.[0]).toMatch(/120 characters or fewer/);

		const notMoney = await page.request.post('/api/trpc/bids.openRound', { data: { ...round, guidance: '', potPence: '-£5' } });
		expect(notMoney.status()).toBe(400);

		expect(await roundsNow()).toBe(before);
	});
});
