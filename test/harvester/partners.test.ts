import { describe, expect, it } from 'vitest';
import { loadPartners, partnerIdForUrl, partnerProblems } from '../../harvester/partners.ts';

describe('harvester/partners.yaml', () => {
  it('is valid', async () => {
    const { partners } = await loadPartners();
    expect(partners.length).toBeGreaterThan(0);
  });

  it('reports a bad cron expression, a duplicate id and a schema error with their lines', () => {
    const text = [
      'partners:',
      '  - id: a',
      '    name: A archive',
      '    baseUrl: https://a.example.org/oai',
      '    metadataPrefix: oai_dc',
      '    schedule: "every day"',
      '    contact: a@example.org',
      '  - id: a',
      '    name: Again',
      '    baseUrl: ftp://b.example.org',
      '    metadataPrefix: oai_dc',
      '    schedule: "0 3 * * *"',
      '    contact: b@example.org',
    ].join('\n');
    const { partners, problems } = partnerProblems('partners.yaml', text);
    expect(partners).toBeUndefined();
    expect(problems.map((p) => [p.code, p.line])).toEqual(
      expect.arrayContaining([
        ['CRON_INVALID', 6],
        ['DUPLICATE_ID', 8],
      ]),
    );
    expect(problems.some((p) => p.pointer === '/partners/1/baseUrl')).toBe(true);
  });

  it('places a file that cannot be read as partners (too deep, an alias) at its line and pointer, with a fix', () => {
    const deep = `partners:\n  - id: a\n    sets: ${'['.repeat(70)}${']'.repeat(70)}\n`;
    const [tooDeep] = partnerProblems('partners.yaml', deep).problems;
    expect(tooDeep).toMatchObject({ code: 'TOO_DEEP', line: 3 });
    expect(tooDeep.pointer).toMatch(/^\/partners\/0\/sets/);
    expect(tooDeep.fix).toBeTruthy();
  });

  it('derives a partner id from a base URL', () => {
    expect(partnerIdForUrl('https://www.zenodo.org/oai2d')).toBe('zenodo-org');
    expect(partnerIdForUrl('http://127.0.0.1:8080/oai')).toBe('h-127-0-0-1');
  });
});
