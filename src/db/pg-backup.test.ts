import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libpqEnvironment } from './pg-backup.ts';

describe("pg_dump's connection from DATABASE_URL", () => {
  it('gives the password through PGPASSWORD, decoded, with the TLS settings node-postgres reads', () => {
    const env = libpqEnvironment(
      'postgres://maillage:p%40ss%3Aw%2Frd@db.example.org:6432/maillage_prod?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem&uselibpqcompat=true',
    );
    assert.deepEqual(env, {
      PGHOST: 'db.example.org',
      PGPORT: '6432',
      PGUSER: 'maillage',
      PGPASSWORD: 'p@ss:w/rd',
      PGDATABASE: 'maillage_prod',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/etc/ssl/ca.pem',
      PGAPPNAME: 'maillage-backup',
      PGCONNECT_TIMEOUT: '10',
    });
  });

  it('reads an IPv6 address, a socket folder given as host, and ssl=true as sslmode=require', () => {
    assert.equal(libpqEnvironment('postgres://u@[::1]:5432/m').PGHOST, '::1');
    const socket = libpqEnvironment('postgresql://u@localhost/m?host=/var/run/postgresql&ssl=true');
    assert.equal(socket.PGHOST, '/var/run/postgresql');
    assert.equal(socket.PGSSLMODE, 'require');
    assert.equal(socket.PGPASSWORD, undefined);
  });

  it('refuses what is not a URL, without repeating it (it may hold a password)', () => {
    assert.throws(
      () => libpqEnvironment('postgres://u:secret@:bad port/m'),
      (error: Error) => /DATABASE_URL/.test(error.message) && !error.message.includes('secret'),
    );
  });
});
