import { Layout, type PageContext } from './layout.tsx';

/**
 * An error page; `reference` (the request's id, docs/decisions/0046) is shown on "not found" pages and
 * server errors, for whoever calls the network to find the logs of what happened.
 */
export function ErrorPage(props: { ctx: PageContext; status: number; message: string; reference?: string }) {
  const title =
    props.status === 404
      ? 'Page introuvable'
      : props.status >= 500
        ? 'Erreur du service'
        : 'Demande incorrecte';
  return (
    <Layout title={title} ctx={props.ctx}>
      <h1>{title}</h1>
      <p>{props.message}</p>
      {props.reference && (props.status === 404 || props.status >= 500) ? (
        <p class="reference">Référence : {props.reference}</p>
      ) : null}
      <p>
        <a href="/">Revenir à l'accueil</a>
      </p>
    </Layout>
  );
}
