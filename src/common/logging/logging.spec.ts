import { redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/auth/hijack/?token=0123abcd', '/auth/hijack/?token=[Redacted]'],
    ['/x?a=1&key=secret&b=2', '/x?a=1&key=[Redacted]&b=2'],
    ['/x?TOKEN=abc#frag', '/x?TOKEN=[Redacted]#frag'],
    ['/x?mykey=keep', '/x?mykey=keep'],
    ['/health', '/health'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
