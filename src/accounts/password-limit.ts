/**
 * The longest password accepted anywhere (ASVS 5.0 allows a cap of no less than
 * 64), so a megabyte-long password cannot buy a megabyte of hashing work: where
 * a password is set (sign-up, change, reset) a longer one is a field error; on
 * login it is simply a wrong password, never hashed (UsersService.verifyCredentials).
 */
export const MAX_PASSWORD_LENGTH = 4096;
