import { describe, expect, it, inject } from 'vitest';
import { generateSchemaTypes } from '../../src/lib/server/db/tasks';

describe('generated table types', () => {
	it('match a database migrated to the latest schema (run `npm run db:types` after adding a migration)', async () => {
		await expect(generateSchemaTypes(inject('adminDatabaseUrl'), true)).resolves.toBeUndefined();
	});
});
