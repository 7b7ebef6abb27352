import { raw } from 'hono/html';
import { frenchDate } from '../places/place-dates.ts';
import type { PageContext } from '../web/layout.tsx';
import { qrSvg } from '../web/qr.ts';
import type { PrintableBooklet } from './booklets.service.ts';
import { Page, plural } from './programme-parts.views.tsx';
import { formatVoucherCode } from './voucher-code.ts';
import { euros } from './vouchers.ts';

/**
 * Booklets to print on A4: one booklet a sheet, its vouchers two in a row, each with the programme, its
 * value, its dates, its code in large grouped characters (read aloud on the phone, typed by a place) and
 * a QR code that opens the redemption page with the code filled in. Print layout: the print block of
 * src/web/style.css (12 pt at least, decision 0035).
 */

/** The address a voucher's QR code opens: the redemption page, the code filled in. */
export const redeemUrl = (publicUrl: string, code: string) =>
  `${publicUrl}/pass/encaisser?code=${encodeURIComponent(code)}`;

function qrOf(publicUrl: string, code: string): string | null {
  const url = redeemUrl(publicUrl, code);
  try {
    return qrSvg(url, `Code QR du chèque ${formatVoucherCode(code)}`);
  } catch {
    return null; // an address too long for a small code: the voucher is typed by its code alone
  }
}

export function PrintBookletsPage(props: {
  ctx: PageContext;
  printable: PrintableBooklet;
  publicUrl: string;
  backHref: string;
}) {
  const p = props.printable.programme;
  const booklets = props.printable.booklets;
  const title = `Carnets à imprimer — ${p.name}`;
  return (
    <Page ctx={props.ctx} title={title}>
      <div class="no-print">
        <p>
          <a href={props.backHref}>Retour au programme</a>
        </p>
        <h1>{title}</h1>
        <p>
          {plural(booklets.length, 'carnet')}, une page par carnet. Chaque code ne sert qu'une fois : gardez
          ces pages comme de l'argent, et ne les envoyez pas par e-mail.
        </p>
        <p>
          <button type="button" class="button" data-print="" hidden>
            Imprimer
          </button>
        </p>
      </div>
      {booklets.map((b) => (
        <section class="booklet" aria-labelledby={`carnet-${b.number}`}>
          <h2 id={`carnet-${b.number}`}>
            {p.name} — carnet n° {b.number}
          </h2>
          <p>
            {plural(b.vouchers.length, 'chèque')} de {euros(p.faceValueCents)}, à donner dans un lieu qualifié
            du programme pour une aide avec le numérique. Chaque chèque ne sert qu'une fois.
          </p>
          <ul class="vouchers">
            {b.vouchers.map((v) => {
              const qr = qrOf(props.publicUrl, v.code);
              return (
                <li class="voucher">
                  {qr ? raw(qr) : null}
                  <div>
                    <p class="voucher-title">
                      <strong>{p.name}</strong>
                    </p>
                    <p class="voucher-value">{euros(p.faceValueCents)}</p>
                    <p>
                      Chèque {v.position} du carnet n° {b.number}
                    </p>
                    <p>
                      Valable du {frenchDate(p.validFrom)} au {frenchDate(p.validUntil)}. Le lieu l'encaisse
                      au plus tard le {frenchDate(p.lastRecordingDay)}.
                    </p>
                  </div>
                  <p class="voucher-code">
                    <span class="visually-hidden">Code : </span>
                    <code>{formatVoucherCode(v.code)}</code>
                  </p>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </Page>
  );
}
