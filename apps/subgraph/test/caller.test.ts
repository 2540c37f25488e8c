import { GraphQLError } from 'graphql';
import { mayActForUser } from '../src/auth/authorize';
import { callerFromHeaders, secretsEqual, type Caller } from '../src/auth/caller';

const TOKEN = 'a-trusted-service-token-of-32-chars';

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'no error';
}

describe('callerFromHeaders', () => {
  it.each<[Record<string, string>, Caller]>([
    [{}, { kind: 'anonymous' }],
    [{ 'x-user-id': '42' }, { kind: 'user', userId: '42', role: 'USER' }],
    [
      { 'x-user-id': '42', 'x-user-role': 'ADMIN' },
      { kind: 'user', userId: '42', role: 'ADMIN' },
    ],
    [
      { 'x-user-id': '42', 'x-user-role': 'PROVIDER' },
      { kind: 'user', userId: '42', role: 'PROVIDER' },
    ],
    [{ 'x-service-token': TOKEN }, { kind: 'service', actingFor: null }],
    [
      { 'x-service-token': TOKEN, 'x-user-id': '7' },
      { kind: 'service', actingFor: '7' },
    ],
  ])('reads %j', (headers, caller) => {
    expect(callerFromHeaders(headers, TOKEN)).toEqual(caller);
  });

  it.each<[string, Record<string, string | string[]>, string | undefined]>([
    ['a wrong token', { 'x-service-token': `${TOKEN}x` }, TOKEN],
    ['a token when none is trusted', { 'x-service-token': TOKEN }, undefined],
    ['an unknown role', { 'x-user-id': '1', 'x-user-role': 'SUPERUSER' }, TOKEN],
    ['a lower-case role', { 'x-user-id': '1', 'x-user-role': 'admin' }, TOKEN],
    ['a role without a user id', { 'x-user-role': 'ADMIN' }, TOKEN],
    ['a user id with a control character', { 'x-user-id': 'a\tb' }, TOKEN],
    ['a repeated user id', { 'x-user-id': ['1', '2'] }, TOKEN],
  ])('rejects %s with UNAUTHENTICATED', (_what, headers, trusted) => {
    expect(codeOf(() => callerFromHeaders(headers, trusted))).toBe('UNAUTHENTICATED');
  });
});

describe('secretsEqual', () => {
  it('compares secrets of any length', () => {
    expect(secretsEqual(TOKEN, TOKEN)).toBe(true);
    expect(secretsEqual(TOKEN.slice(1), TOKEN)).toBe(false);
    expect(secretsEqual('', TOKEN)).toBe(false);
  });
});

describe('mayActForUser', () => {
  it.each<[Caller, boolean]>([
    [{ kind: 'user', userId: '1', role: 'USER' }, true],
    [{ kind: 'user', userId: '2', role: 'USER' }, false],
    [{ kind: 'user', userId: '2', role: 'PROVIDER' }, false],
    [{ kind: 'user', userId: '2', role: 'ADMIN' }, true],
    [{ kind: 'service', actingFor: null }, true],
    [{ kind: 'anonymous' }, false],
  ])('%j for user 1: %s', (caller, allowed) => {
    expect(mayActForUser(caller, '1')).toBe(allowed);
  });
});
