import { isStellarPublicKey } from './stellar-key';

describe('isStellarPublicKey', () => {
  it.each([
    'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA', // seed 000's sample
    'GAAZI4TCR3TY5OJHCTJC2A4QSY6CJWJH5IAJTGKIN2ER7LBNVKOCCWN7', // Stellar's documentation example
  ])('accepts %s', (key) => {
    expect(isStellarPublicKey(key)).toBe(true);
  });

  it.each([
    ['a wrong checksum', 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGB'],
    ['a changed key byte', 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS7GZGA'],
    ['a secret seed', 'SCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGA'],
    ['lower case', 'gcxeter4mrry7wnolixetd6oz46p6kgumoorxf2jcjuxikbw2bs6gzga'],
    ['55 characters', 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZG'],
    ['57 characters', 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZGAA'],
    ['non-base32 characters', 'GCXETER4MRRY7WNOLIXETD6OZ46P6KGUMOORXF2JCJUXIKBW2BS6GZ01'],
    ['nothing', ''],
  ])('refuses %s', (_name, key) => {
    expect(isStellarPublicKey(key)).toBe(false);
  });
});
