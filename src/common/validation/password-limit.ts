/**
 * The longest password accepted anywhere (ASVS 5.0 allows a cap of no less than
 * 64): a longer one is a field error before any hashing, so a megabyte-long
 * password cannot buy a megabyte of argon2 work.
 */
export const MAX_PASSWORD_LENGTH = 4096;
