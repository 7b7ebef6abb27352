import type { Person } from '../accounts/sessions.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { Csrf } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';

/** The links of a person's daily work, by role: what the blocks do not already point to. */
function shortcuts(p: Person): { href: string; text: string }[] {
  const links: { href: string; text: string }[] = [];
  if (p.networkRole === 'coordinator')
    links.push(
      { href: '/structures', text: 'Les structures du réseau' },
      { href: '/financeurs', text: 'Les financeurs' },
      { href: '/moderation', text: "File d'attente des modifications et des signalements" },
      { href: '/journal', text: 'Journal des actions' },
      { href: '/imports', text: 'Imports de lieux' },
      { href: '/qualite', text: 'Qualité des données' },
      { href: '/couverture/reseau', text: 'Couverture du territoire par le réseau' },
      { href: '/diagnostic/versions', text: 'Versions du diagnostic' },
      { href: '/orientations/statistiques', text: 'Statistiques des orientations' },
      { href: '/compte/courriels', text: 'Voir les courriels envoyés' },
    );
  for (const m of p.memberships)
    links.push({ href: `/structures/${m.structureId}`, text: `Ma structure : ${m.structureName}` });
  if (p.memberships.length > 0)
    links.push(
      { href: '/mes-lieux', text: 'Mes lieux à tenir à jour' },
      { href: '/orientations', text: 'Orientations reçues et envoyées' },
      { href: '/signalements', text: 'Signalements d’erreur transmis à ma structure' },
      { href: '/orientations/nouvelle', text: 'Orienter une personne' },
      { href: '/diagnostic', text: 'Faire un diagnostic' },
    );
  if (p.funderIds.length > 0) links.push({ href: '/financeur', text: 'Mon organisation : ses chiffres' });
  if (p.networkRole === 'funder') links.push({ href: '/couverture', text: 'Couverture du territoire' });
  if (p.networkRole === 'volunteer')
    links.push(
      { href: '/benevolat/mon-espace', text: 'Mes missions de bénévolat' },
      { href: '/benevolat', text: 'Les missions ouvertes' },
    );
  else if (p.memberships.length > 0 || p.networkRole === 'coordinator')
    links.push({ href: '/benevolat/missions', text: 'Missions de bénévolat' });
  if (links.length === 0)
    links.push({ href: '/structures/rejoindre', text: 'Demander à rejoindre une structure' });
  return links;
}

/** The block's anchor: its identifier, and its structure's when a person belongs to several. */
function blockAnchor(block: HomeBlock): string {
  const base = `bloc-${block.id.replace(/[^a-z0-9]+/gi, '-')}`;
  if (!block.structureName) return base;
  let hash = 0;
  for (const ch of block.structureName) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `${base}-${hash.toString(36)}`;
}

/** The count in bold, then the sentence; a sentence that starts with the count gets it in bold once. */
function CountLine(props: { count: number; summary: string }) {
  const lead = `${props.count} `;
  const rest = props.summary.startsWith(lead) ? props.summary.slice(lead.length) : ` ${props.summary}`;
  return (
    <p class="home-count">
      <strong>{props.count}</strong>
      {props.summary.startsWith(lead) ? ` ${rest}` : rest}
    </p>
  );
}

function Block({ block }: { block: HomeBlock }) {
  const id = blockAnchor(block);
  return (
    <li class="card home-block" id={id}>
      <h3>{block.title}</h3>
      {block.count === 0 && block.kind !== 'figures' ? (
        <p class="home-count">
          <strong>0</strong> — rien à faire.
        </p>
      ) : (
        <CountLine count={block.count} summary={block.summary} />
      )}
      {block.items && block.items.length > 0 ? (
        <ul>
          {block.items.map((item) => (
            <li>
              {item.href ? <a href={item.href}>{item.label}</a> : item.label}
              {item.detail ? <span class="meta"> — {item.detail}</span> : null}
              {item.action ? (
                <>
                  {' '}
                  <a href={item.action.href}>{item.action.label}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={block.href}>{block.linkLabel}</a>
      </p>
      {block.more ? (
        <p>
          <a href={block.more.href}>{block.more.label}</a>
        </p>
      ) : null}
    </li>
  );
}

function Section(props: { title: string; blocks: HomeBlock[] }) {
  if (props.blocks.length === 0) return null;
  return (
    <section aria-label={props.title}>
      <h2>{props.title}</h2>
      <ul class="cards">
        {props.blocks.map((b) => (
          <Block block={b} />
        ))}
      </ul>
    </section>
  );
}

/** Groups blocks into the page's sections: each structure, the network, the funder, the rest. */
function sections(blocks: readonly HomeBlock[]): { title: string; blocks: HomeBlock[] }[] {
  const out: { title: string; blocks: HomeBlock[] }[] = [];
  const add = (title: string, block: HomeBlock) => {
    const found = out.find((s) => s.title === title);
    if (found) found.blocks.push(block);
    else out.push({ title, blocks: [block] });
  };
  for (const block of blocks) {
    if (block.audience === 'structure') add(block.structureName ?? 'Ma structure', block);
    else if (block.audience === 'coordinator') add('Le réseau', block);
    else if (block.audience === 'funder') add('Mon organisation', block);
    else add('Pour vous', block);
  }
  return out;
}

/** `/espace`: what awaits the person, block by block, then the links of their work and their account. */
export function HomePage(props: { ctx: PageContext; csrf: string; person: Person; blocks: HomeBlock[] }) {
  const p = props.person;
  const toDo = props.blocks.filter((b) => b.count > 0 && b.kind !== 'figures');
  return (
    <Layout title="Mon espace" ctx={props.ctx}>
      <h1>Mon espace</h1>
      <p>Bonjour {p.displayName}.</p>
      {toDo.length === 0 ? (
        <p>Rien à faire pour le moment.</p>
      ) : (
        <>
          <p>Ce qui vous attend :</p>
          <ul>
            {toDo.map((b) => (
              <li>
                <a href={`#${blockAnchor(b)}`}>
                  {b.title}
                  {b.structureName ? ` (${b.structureName})` : ''} : {b.count}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {sections(props.blocks).map((s) => (
        <Section title={s.title} blocks={s.blocks} />
      ))}
      <h2>Mon travail</h2>
      <ul>
        {shortcuts(p).map((l) => (
          <li>
            <a href={l.href}>{l.text}</a>
          </li>
        ))}
      </ul>
      <h2>Mon compte</h2>
      <p>
        <a href="/compte">Mon compte : nom, sécurité, mes données</a>
      </p>
      <form method="post" action="/deconnexion">
        <Csrf token={props.csrf} />
        <button type="submit" class="secondary">
          Me déconnecter
        </button>
      </form>
    </Layout>
  );
}
