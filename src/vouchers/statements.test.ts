import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statementCsv } from './statements.ts';

describe('a statement as CSV', () => {
  it('makes every text inert for spreadsheets, its two head rows too, and keeps amounts numeric', () => {
    const csv = statementCsv(
      { title: '=HYPERLINK("http://x.example")— relevé de 2026-11', payee: '@Payé à : X', total: -1050 },
      [
        {
          code: '+PN-ABCD',
          recordedAt: new Date('2026-11-03T10:00:00Z'),
          placeName: '-Lieu',
          amountCents: -1050,
          kind: 'redemption_cancellation',
        },
      ],
    );
    const rows = csv.replace(/^\uFEFF/, '').split('\r\n');
    assert.match(rows[0] ?? '', /^"?'=HYPERLINK/);
    assert.match(rows[1] ?? '', /^'@Payé à/);
    assert.match(rows[3] ?? '', /^'\+PN-ABCD;03\/11\/2026;'-Lieu;-10,50;/);
  });
});
