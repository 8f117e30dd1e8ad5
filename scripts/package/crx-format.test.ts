import { describe, expect, it } from 'vitest';
import { readCrx } from './crx-format';

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

const field = (number: number, value: Buffer) => Buffer.concat([varint(number * 8 + 2), varint(value.length), value]);

function crx(header: Buffer, zip: Buffer, magic = 'Cr24', version = 3): Buffer {
  const prefix = Buffer.alloc(12);
  prefix.write(magic, 0, 'latin1');
  prefix.writeUInt32LE(version, 4);
  prefix.writeUInt32LE(header.length, 8);
  return Buffer.concat([prefix, header, zip]);
}

describe('CRX3 reading', () => {
  it('finds the signing public key, the signed CRX id and the zip', () => {
    const publicKey = Buffer.from('public key der');
    const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const header = Buffer.concat([field(2, Buffer.concat([field(1, publicKey), field(2, Buffer.from('signature'))])), field(10000, field(1, id))]);
    const read = readCrx(crx(header, Buffer.from('PK zip bytes')));
    expect(read.formatVersion).toBe(3);
    expect(read.rsaPublicKeys).toEqual([publicKey.toString('base64')]);
    expect(read.crxId).toBe('aabbccddeeffgghhiijjkkllmmnnoopp');
    expect(read.zip.toString()).toBe('PK zip bytes');
  });

  it('refuses what is not a CRX3', () => {
    expect(() => readCrx(Buffer.from('PK\u0003\u0004 a zip'))).toThrow(/Cr24/);
    expect(() => readCrx(crx(Buffer.alloc(0), Buffer.alloc(0), 'Cr24', 2))).toThrow(/version 2/);
    expect(() => readCrx(crx(Buffer.from([0x12, 0x50, 0x01]), Buffer.alloc(0)))).toThrow(/truncated/);
  });
});
