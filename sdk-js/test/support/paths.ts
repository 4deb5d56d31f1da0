// Where the repository's files are, for tests that read schemas/, docs/ and server/src.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const SDK = fileURLToPath(new URL('../..', import.meta.url));
export const REPO = join(SDK, '..');
export const SCHEMAS = process.env.WSD_SCHEMAS ?? join(REPO, 'schemas');
