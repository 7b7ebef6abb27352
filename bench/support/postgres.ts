import pg from 'pg';

/** A throwaway PostgreSQL database for one bench run (DATABASE_URL is the admin connection). */
export function benchDatabase(prefix: string): {
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
} {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `${prefix}_${process.pid}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  return {
    url: url.toString(),
    async create() {
      await admin(`drop database if exists ${name} with (force)`);
      await admin(`create database ${name}`);
    },
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}
