import type { PageContext } from '../web/layout.tsx';
import type { LinkFailure } from './mailed-links.service.ts';
import type { Orientation } from './referrals.service.ts';
import { describeAppointment, type LinkPurpose, STATE_LABELS } from './referrals.ts';
import {
  AnswerForm,
  type AnswerValues,
  answerAnchors,
  CloseForm,
  Details,
  DiagnosticBlock,
  type Errors,
  Page,
} from './referrals.views.tsx';

/** The pages of a link mailed to a place's referral address: answer, close, done, or why it fails. */

const LINK_FAILURES: Record<LinkFailure, { title: string; text: string }> = {
  tampered: {
    title: 'Lien modifié',
    text: 'Ce lien a été modifié : il ne marche pas. Ouvrez le lien exact reçu par e-mail, sans le changer.',
  },
  invalid: {
    title: 'Lien non valable',
    text: 'Ce lien n’est pas valable. Vérifiez que vous avez copié tout le lien reçu par e-mail.',
  },
  used: {
    title: 'Lien déjà utilisé',
    text: 'Ce lien a déjà servi : il marche une seule fois. La réponse est enregistrée.',
  },
  expired: {
    title: 'Lien expiré',
    text: 'Ce lien a expiré. Si la personne a encore besoin d’aide, appelez la structure qui l’a orientée.',
  },
  done: {
    title: 'Orientation déjà traitée',
    text: 'Cette orientation a déjà une réponse ou elle est close : ce lien ne sert plus.',
  },
};

export function LinkFailurePage(props: { ctx: PageContext; reason: LinkFailure }) {
  const f = LINK_FAILURES[props.reason];
  return (
    <Page ctx={props.ctx} title={f.title}>
      <p>{f.text}</p>
    </Page>
  );
}

export function LinkPage(props: {
  ctx: PageContext;
  csrf: string;
  token: string;
  purpose: LinkPurpose;
  orientation: Orientation;
  errors?: Errors;
  values?: AnswerValues;
}) {
  const o = props.orientation;
  const action = `/orientations/lien/${props.token}`;
  const errors = props.errors ?? {};
  return (
    <Page
      ctx={props.ctx}
      title={`Orientation vers ${o.place.name}`}
      errors={errors}
      anchors={answerAnchors(props.values)}
    >
      <p>
        « {o.sender.structureName} » oriente une personne vers votre lieu. Vous n’avez pas besoin de compte :
        ce lien marche une seule fois.
      </p>
      <Details o={o} showPerson />
      <DiagnosticBlock o={o} />
      {props.purpose === 'answer' ? (
        <AnswerForm
          action={action}
          csrf={props.csrf}
          errors={errors}
          {...(props.values ? { values: props.values } : {})}
        />
      ) : (
        <CloseForm action={action} csrf={props.csrf} withRedirect={false} error={errors.outcome} />
      )}
    </Page>
  );
}

export function LinkDonePage(props: { ctx: PageContext; orientation: Orientation; closeUrl: string | null }) {
  const o = props.orientation;
  return (
    <Page ctx={props.ctx} title={`Réponse enregistrée : ${STATE_LABELS[o.state].toLowerCase()}`}>
      <p role="status">
        Merci. La structure qui oriente la personne ({o.sender.structureName}) est prévenue.
      </p>
      {o.appointment ? <p>Rendez-vous noté : {describeAppointment(o.appointment)}.</p> : null}
      {props.closeUrl ? (
        <>
          <p>
            Après le rendez-vous, dites-nous si la personne est venue. Ce lien vous est aussi envoyé par
            e-mail ; il marche une seule fois.
          </p>
          <p>
            <a href={props.closeUrl}>Dire si la personne est venue</a>
          </p>
        </>
      ) : null}
    </Page>
  );
}
