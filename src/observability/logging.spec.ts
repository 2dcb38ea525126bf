import { redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/auth/hijack/?token=0123abcd', '/auth/hijack/?token=[Redacted]'],
    ['/x?a=1&key=secret&b=2', '/x?a=1&key=[Redacted]&b=2'],
    ['/x?TOKEN=abc#frag', '/x?TOKEN=[Redacted]#frag'],
    ['/x?mykey=keep', '/x?mykey=keep'],
    ['/health', '/health'],
    ['/auth/hijack/?%74oken=k3y', '/auth/hijack/?%74oken=[Redacted]'],
    ['/auth/hijack/?%2574oken=k3y', '/auth/hijack/?%2574oken=[Redacted]'],
    ['/auth/login-link/?ticket=t1&x=1', '/auth/login-link/?ticket=[Redacted]&x=1'],
    ['/x?uid=MQ&token[]=a', '/x?uid=[Redacted]&token[]=[Redacted]'],
    ['/x?+key+=v', '/x?+key+=[Redacted]'],
    ['/x?next=%2Fauth%2Fhijack%2F%3Ftoken%3Dabc', '/x?next=[Redacted]'],
    ['/x?k%ZZ=1&token=%ZZ', '/x?k%ZZ=1&token=[Redacted]'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
