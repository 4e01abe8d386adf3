// Builds the list of languages the apps offer from the translation files present, so that adding a
// language is adding one file. Fails the build when a file lacks a key that the reference language
// (English) has, or has a key English does not: a missing text would show as its key on screen.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [sourceDir, indexFile] = process.argv.slice(2);
const reference = 'en';
const files = readdirSync(sourceDir).filter((f) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(f)).sort();
const texts = Object.fromEntries(files.map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(join(sourceDir, f), 'utf8'))]));
if (!texts[reference]) throw new Error(`${sourceDir}/${reference}.json is missing`);

const referenceKeys = new Set(Object.keys(texts[reference]));
const problems = [];
for (const [code, table] of Object.entries(texts)) {
  const keys = new Set(Object.keys(table));
  for (const key of referenceKeys) if (!keys.has(key)) problems.push(`${code}.json lacks "${key}"`);
  for (const key of keys) if (!referenceKeys.has(key)) problems.push(`${code}.json has "${key}", which ${reference}.json lacks`);
  if (!table['language.name']) problems.push(`${code}.json has no "language.name"`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

const index = Object.entries(texts).map(([code, table]) => ({ code, name: table['language.name'], dir: table['language.dir'] ?? 'ltr' }));
mkdirSync(dirname(indexFile), { recursive: true });
writeFileSync(indexFile, JSON.stringify(index, null, 2) + '\n');
console.log(`translations: ${index.map((l) => l.code).join(', ')} (${referenceKeys.size} texts each)`);
