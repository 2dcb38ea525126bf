import { Injectable } from '@nestjs/common';

/** What a lookup of the user store missed on. */
export type MissedLookup =
  | { email: string }
  | { username: string }
  | { id: number }
  | { uuid: string }
  | { tokenKey: string };

/** What a lookup was by, as events name it. */
export function lookupKind(
  lookup: MissedLookup,
): 'email' | 'username' | 'id' | 'uuid' | 'token_key' {
  if ('tokenKey' in lookup) return 'token_key';
  if ('email' in lookup) return 'email';
  if ('username' in lookup) return 'username';
  return 'id' in lookup ? 'id' : 'uuid';
}

/** The identifier a person typed, when the lookup was by one (never a key or an id). */
export function typedIdentifier(lookup: MissedLookup): string | undefined {
  if ('email' in lookup) return lookup.email;
  return 'username' in lookup ? lookup.username : undefined;
}

/** Somewhere identities missing from the user store may still be (a legacy database). */
export interface MissedIdentitySource {
  /** Imports the identity a missed lookup names when the source holds it; true when it did. */
  importMissing(lookup: MissedLookup): Promise<boolean>;
}

/**
 * The one hook the user and key lookups consult when they miss (trickle mode
 * during a move, see src/migration). Without a registered source a miss stays a miss.
 */
@Injectable()
export class MissedIdentities {
  private source?: MissedIdentitySource;

  register(source: MissedIdentitySource): void {
    this.source = source;
  }

  /** Runs `find`; when it finds nothing and a source imported the identity, runs it again. */
  async orImported<T>(lookup: MissedLookup, find: () => Promise<T | null>): Promise<T | null> {
    const found = await find();
    if (found || !this.source || !(await this.source.importMissing(lookup))) return found;
    return find();
  }
}
