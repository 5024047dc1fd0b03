import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { chunked, endlessLine, gzipBomb } from '../../../test/support/generated-uploads.js';
import { SightingFileReader } from '../../sightings/persistence/sighting-file-reader.js';
import { AutoGunzip, CsvToCopyTransform, MAX_LINE_CHARS } from './csv-to-copy.transform.js';

const MIB = 1 << 20;
const GIB = 1 << 30;
const rules = { operatorPlmns: ['43211'], fromDay: 18_000, toDay: 18_300, today: 20_000, maxBytes: 4 * GIB };
const limits = { maxBytes: 2 * GIB, maxDecompressedBytes: 4 * GIB, maxRatio: 100 };
const sightings = () => new SightingFileReader(rules);
const ownership = () => new CsvToCopyTransform(['msisdn', 'national_code', 'valid_from', 'valid_to'], (f) => `${f.join('\t')}\n`, 4 * GIB);
const sink = () => new Writable({ write: (_c, _e, done) => done() });
const read = (kind: 'sightings' | 'ownership', source: NodeJS.ReadableStream) =>
  kind === 'sightings' ? pipeline(source, new AutoGunzip(limits), sightings()) : pipeline(source, new AutoGunzip(limits), ownership(), sink());

/**
 * Issue 15 item 1: a gzip bomb and one endless line were read whole (the unfinished line re-copied
 * on every chunk, the inflater ignoring backpressure). Both readers must stop at the first bound,
 * having pulled only a few chunks of the upload.
 */
describe.each(['sightings', 'ownership'] as const)('%s file: bounded line length and decompressed size', (kind) => {
  it('refuses a 48 MiB single-line file at its first chunks (line too long), not after reading it all', async () => {
    const { stream, pulled } = endlessLine(48);
    await expect(read(kind, stream)).rejects.toMatchObject({ check: 'line_too_long' });
    expect(pulled()).toBeLessThan(4 * MIB);
  });

  it('refuses an over-long data row after a good header, naming its line', async () => {
    const header = kind === 'sightings' ? 'date,imei,imsi,msisdn,rat\n' : 'msisdn,national_code,valid_from,valid_to\n';
    const body = Buffer.from(header + '1,2,3,4,5\n' + 'y'.repeat(MAX_LINE_CHARS + 1) + '\n');
    await expect(read(kind, chunked(body, 1000).stream)).rejects.toMatchObject({ check: 'line_too_long', message: expect.stringContaining('line 3') });
  });

  it('refuses a 1 MB gzip of 1 GiB of zeros after inflating a few chunks of it', async () => {
    const bomb = gzipBomb(1024);
    expect(bomb.length).toBeLessThan(1.5 * MIB);
    const { stream, pulled } = chunked(bomb);
    await expect(read(kind, stream)).rejects.toMatchObject({ check: expect.stringMatching(/^(line_too_long|too_large)$/) });
    expect(pulled()).toBeLessThan(256 * 1024);
  });

  it('refuses a gzip bomb of empty lines behind a good header by its inflate ratio (413), without inflating it all', async () => {
    const header = kind === 'sightings' ? 'date,imei,imsi,msisdn,rat\n' : 'msisdn,national_code,valid_from,valid_to\n';
    const { stream, pulled } = chunked(gzipBomb(1024, '\n', header));
    await expect(read(kind, stream)).rejects.toMatchObject({ check: 'too_large', message: expect.stringContaining('expands more than 100×') });
    expect(pulled()).toBeLessThan(512 * 1024);
  });

  it('still reads a well-formed gzip file whole, with a multi-byte character split across chunks', async () => {
    const text = kind === 'sightings' ? 'date,imei,imsi,msisdn,rat\n2020-01-05,490154203237518,432111234567890,09121234567,۴G\n' : 'msisdn,national_code,valid_from,valid_to\n09121234567,۰012345679,2019-01-01,\n';
    const out: string[] = [];
    const gz = gzipSync(text);
    if (kind === 'sightings') {
      const reader = sightings();
      await pipeline(chunked(gz, 7).stream, new AutoGunzip(limits), reader);
      expect(reader.counts).toMatchObject({ total: 1, valid: 1 });
    } else {
      const csv = ownership();
      const collect = new PassThrough();
      collect.on('data', (d: Buffer) => out.push(d.toString()));
      // split inside the two-byte Persian digit of the national code
      const plain = Buffer.from(text);
      const cut = plain.indexOf(Buffer.from('۰')) + 1;
      await pipeline(chunked(Buffer.concat([plain.subarray(0, cut), plain.subarray(cut)]), cut).stream, new AutoGunzip(limits), csv, collect);
      expect(out.join('')).toBe('09121234567\t۰012345679\t2019-01-01\t\n');
    }
  });
});
