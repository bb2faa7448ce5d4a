// Writes schema/scenario.schema.json and schema/fragment.schema.json from the compiled
// step kinds, so editors get the same schema the loader validates with.
import { mkdirSync, writeFileSync } from 'node:fs';
import { scenarioSchema, fragmentSchema } from '../dist/src/compile/scenario-schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('scenario.schema.json', dir), `${JSON.stringify(scenarioSchema(), null, 2)}\n`);
writeFileSync(new URL('fragment.schema.json', dir), `${JSON.stringify(fragmentSchema(), null, 2)}\n`);
