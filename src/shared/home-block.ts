/**
 * One block of a signed-in person's home page (`/espace`). Each domain's service exports
 * `homeBlocks(db, actor)` returning the blocks that concern the actor (none when the actor has nothing
 * to do with the domain); `src/home/` gathers them and draws them the same way. A block always has a
 * count and a link to act; with a zero count the page says "rien à faire".
 */
export interface HomeBlock {
  /** Stable identifier (tests and anchors): `moderation.pending`, `referrals.to_answer`… */
  id: string;
  /** Who the block is for, to order and group the page. */
  audience: 'coordinator' | 'structure' | 'funder' | 'everyone';
  /** Short French title, e.g. "Modifications à vérifier". */
  title: string;
  /** The number the block is about. */
  count: number;
  /** One French sentence saying what the count means, e.g. "3 modifications attendent votre décision." */
  summary: string;
  /** Where to act, and the link's French words ("Vérifier les modifications"). */
  href: string;
  linkLabel: string;
  /** A few lines to show under the count (oldest first, at most ~5), each with an optional link. */
  items?: readonly {
    label: string;
    detail?: string;
    href?: string;
    /** A second thing to do about this line (e.g. write to the structure), its words naming the line. */
    action?: { href: string; label: string };
  }[];
  /** A second link of the block, after the main one (e.g. the whole list beside "write a new one"). */
  more?: { href: string; label: string };
  /**
   * 'todo' (the default): the count is what awaits the person, and zero says "rien à faire".
   * 'figures': the count is information (the week's searches, a funder's structures), never a to-do.
   */
  kind?: 'todo' | 'figures';
  /** For a structure's blocks: which structure (a person may belong to several). */
  structureName?: string;
}
