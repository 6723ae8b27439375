import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every environment variable the config reads is documented in the README table and in .env.example. */
describe('configuration documentation', () => {
  const root = path.resolve(__dirname, '..', '..');
  const source = fs.readFileSync(path.join(__dirname, 'app-config.ts'), 'utf8');
  const schema = source.slice(
    source.indexOf('const envSchema = z.object({'),
    source.indexOf('});', source.indexOf('const envSchema')),
  );
  const variables = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);

  it('finds the variables', () => {
    expect(variables.length).toBeGreaterThan(20);
  });

  it.each(['README.md', '.env.example'])('%s documents every variable', (file) => {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const missing = variables.filter((v) => !text.includes(v));
    expect(missing).toEqual([]);
  });
});
