import { decodeUid, encodeUid } from './djoser-users.service';

/** djoser.utils.encode_uid / decode_uid, with values Django 3.2 gives. */
describe("djoser's uid", () => {
  it('is the pk in URL-safe base64 without padding', () => {
    expect(encodeUid(1)).toBe('MQ');
    expect(encodeUid(19)).toBe('MTk');
    expect(encodeUid(19232)).toBe('MTkyMzI');
  });

  it('decodes what djoser encodes, and refuses what User.objects.get(pk=…) would', () => {
    expect(decodeUid('MTkyMzI')).toBe(19232);
    expect(decodeUid('MTk=')).toBe(19);
    expect(decodeUid('xx')).toBeUndefined();
    expect(decodeUid('')).toBeUndefined();
    expect(decodeUid('YWJj')).toBeUndefined();
  });
});
