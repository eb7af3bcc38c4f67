import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { emfDrawing, jpegWithMetadata, pngWithText, xmpPacket } from '../../test/fixtures/anonymisation/pictures.js';
import { pictureText } from './picture-text.js';

const SEED = 20261206;

describe('the words a picture carries', () => {
  it('reads a PNG’s text chunks, inflating a compressed one', () => {
    expect(pictureText(pngWithText({ keyword: 'Author', value: 'Ivy Quarrington' }, { keyword: 'Title', value: 'Wren Tamsett' })).split('\n')).toEqual([
      'Author',
      'Ivy Quarrington',
      'Title',
      'Wren Tamsett',
    ]);
  });

  it('reads a JPEG’s Exif artist and Windows author, its comment and its XMP values (elements and attributes)', () => {
    const text = pictureText(jpegWithMetadata({ artist: 'Ruth Penhallow', windowsAuthor: 'Ivy Quarrington', comment: 'Taken in Quill Lane', xmp: xmpPacket('Wren Tamsett', 'Moor Road') }));
    expect(text.split('\n')).toEqual(['Moor Road', 'Wren Tamsett', 'Ruth Penhallow', 'Ivy Quarrington', 'Taken in Quill Lane']);
  });

  it('reads the strings an EMF picture draws', () => {
    expect(pictureText(emfDrawing('Ivy Quarrington'))).toBe('Ivy Quarrington');
  });

  it('reads nothing from a picture with no words, and never inflates a compressed chunk past its limit', () => {
    expect(pictureText(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBe('');
    const bomb = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), deflateSync(Buffer.alloc(8 << 20, 0x41))]))]);
    expect(pictureText(bomb)).toBe('Comment');
  });

  it('never throws on a damaged picture, whatever its bytes', () => {
    const pictures = [
      pngWithText({ keyword: 'Author', value: 'Ivy' }, { keyword: 'Title', value: 'Wren' }),
      jpegWithMetadata({ artist: 'Ruth', windowsAuthor: 'Ivy', comment: 'c', xmp: xmpPacket('Wren', 'Moor Road') }),
      emfDrawing('Ivy Quarrington'),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...pictures), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(), (picture, edits, cut) => {
        const damaged = Buffer.from(picture);
        for (const [at, byte] of edits) damaged[at % damaged.length] = byte;
        expect(typeof pictureText(damaged.subarray(0, 1 + (cut % damaged.length)))).toBe('string');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

/** A PNG chunk whose checksum is not checked by the reader. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}
