import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPasswordPolicy, emailSchema, MESSAGES } from './accounts.ts';
import { type Actor, can, POLICY } from './policy.ts';

describe('password policy', () => {
  it('requires 12 characters and refuses common passwords and the own address, whatever the case', () => {
    assert.equal(checkPasswordPolicy('court'), MESSAGES.passwordTooShort);
    assert.equal(checkPasswordPolicy('AzertyUIOP123'), MESSAGES.passwordCommon);
    assert.equal(checkPasswordPolicy('aaaaaaaaaaaaaaaa'), MESSAGES.passwordCommon);
    assert.equal(checkPasswordPolicy('nom.prenom@ex.fr', 'Nom.Prenom@ex.fr'), MESSAGES.passwordIsEmail);
    assert.equal(checkPasswordPolicy('un cheval vert mange des pommes'), null);
    assert.equal(checkPasswordPolicy('ééééééééééé'), MESSAGES.passwordTooShort); // 11 characters, 22 bytes
  });

  it('lowercases addresses and refuses malformed ones in plain French', () => {
    assert.equal(emailSchema.parse('  Marie.Dupont@Exemple.FR '), 'marie.dupont@exemple.fr');
    const bad = emailSchema.safeParse('marie@');
    assert.equal(bad.success, false);
    assert.equal(bad.error?.issues[0]?.message, MESSAGES.emailInvalid);
  });
});

describe('policy module', () => {
  const structureA = 'aaaaaaaa-0000-0000-0000-000000000001';
  const structureB = 'bbbbbbbb-0000-0000-0000-000000000002';
  const person = (
    networkRole: 'coordinator' | 'funder' | null,
    role?: 'structure_admin' | 'staff',
  ): Actor => ({
    kind: 'person',
    personId: 'p',
    networkRole,
    memberships: role ? [{ structureId: structureA, role }] : [],
  });

  it('lets only coordinators and the structure’s own administrators invite to a structure', () => {
    assert.equal(can(person('coordinator'), 'inviteToStructure', { structureId: structureB }), true);
    assert.equal(
      can(person(null, 'structure_admin'), 'inviteToStructure', { structureId: structureA }),
      true,
    );
    assert.equal(
      can(person(null, 'structure_admin'), 'inviteToStructure', { structureId: structureB }),
      false,
    );
    assert.equal(can(person(null, 'staff'), 'inviteToStructure', { structureId: structureA }), false);
    assert.equal(can(person('funder'), 'inviteToStructure', { structureId: structureA }), false);
    assert.equal(can({ kind: 'anonymous' }, 'inviteToStructure', { structureId: structureA }), false);
  });

  it('keeps command-line-only functions out of reach of every person, and self functions out of anonymous reach', () => {
    for (const [fn, rule] of Object.entries(POLICY) as [keyof typeof POLICY, string][]) {
      if (rule === 'system') assert.equal(can(person('coordinator'), fn), false, fn);
      if (rule === 'self') {
        assert.equal(can({ kind: 'anonymous' }, fn), false, fn);
        assert.equal(can({ kind: 'system' }, fn), false, fn);
      }
    }
    assert.equal(can({ kind: 'system' }, 'createCoordinator'), true);
    assert.equal(can(person('funder'), 'listAccounts'), false);
  });
});
