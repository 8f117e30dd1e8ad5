/**
 * Reads a CRX3 file: "Cr24", format version 3, the length of a protobuf header (CrxFileHeader), the header,
 * then the zip. From the header it takes the RSA public keys that signed it and the CRX id the signature
 * covers, so packaging can check the CRX has the id policy will name before anyone publishes it.
 */
export interface CrxFile {
  formatVersion: number;
  /** Base64 DER public keys of the sha256_with_rsa proofs. */
  rsaPublicKeys: string[];
  /** The id in the signed header data, written as an extension id (a-p). */
  crxId: string | undefined;
  zip: Buffer;
}

export function readCrx(crx: Buffer): CrxFile {
  if (crx.length < 12 || crx.subarray(0, 4).toString('latin1') !== 'Cr24') throw new Error('not a CRX file (no Cr24 magic)');
  const formatVersion = crx.readUInt32LE(4);
  if (formatVersion !== 3) throw new Error(`CRX format version ${formatVersion}, expected 3`);
  const headerLength = crx.readUInt32LE(8);
  const header = crx.subarray(12, 12 + headerLength);
  const rsaPublicKeys: string[] = [];
  let crxId: string | undefined;
  for (const field of protobufFields(header)) {
    if (field.number === 2) {
      const key = protobufFields(field.value).find((inner) => inner.number === 1);
      if (key) rsaPublicKeys.push(key.value.toString('base64'));
    } else if (field.number === 10000) {
      const id = protobufFields(field.value).find((inner) => inner.number === 1);
      if (id) crxId = [...id.value.toString('hex')].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
    }
  }
  return { formatVersion, rsaPublicKeys, crxId, zip: crx.subarray(12 + headerLength) };
}

/** The length-delimited fields of a protobuf message (the only wire type CrxFileHeader uses); others are skipped. */
function protobufFields(message: Buffer): { number: number; value: Buffer }[] {
  const fields: { number: number; value: Buffer }[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (at >= message.length) throw new Error('CRX header: truncated');
      const byte = message[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (at < message.length) {
    const tag = varint();
    const wireType = tag % 8;
    const number = Math.floor(tag / 8);
    if (wireType === 0) varint();
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = varint();
      if (at + length > message.length) throw new Error('CRX header: truncated');
      fields.push({ number, value: message.subarray(at, at + length) });
      at += length;
    } else throw new Error(`CRX header: wire type ${wireType}`);
  }
  return fields;
}
