import { Layout, type PageContext } from './layout.tsx';

export function ErrorPage(props: { ctx: PageContext; status: number; message: string }) {
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
      <p>
        <a href="/">Revenir à l'accueil</a>
      </p>
    </Layout>
  );
}
